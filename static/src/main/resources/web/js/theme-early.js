// Runs before the page is drawn (a classic script in <head>, so no flash of the other theme): the theme
// the person chose last on this browser, dark unless it was light. app.js has the toggle.
document.documentElement.dataset.theme = localStorage.getItem('invokej_theme') === 'light' ? 'light' : 'dark';
