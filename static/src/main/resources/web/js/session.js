// Who is signed in, and the token kept as InvokeAI's web client keeps it: localStorage["auth_token"].

const TOKEN_KEY = 'auth_token';
const FLASH_KEY = 'invokej_flash';

/** In single-user mode everyone is InvokeAI's built-in administrator. */
export const SYSTEM_USER = Object.freeze({
  user_id: 'system', email: 'system@system.invokeai', display_name: 'System', is_admin: true, is_active: true,
});

export const session = {
  /** The answer of GET api/v1/auth/status. */
  status: null,
  /** The signed-in user (a UserDTO), SYSTEM_USER in single-user mode, null before sign-in. */
  user: null,

  get multiuser() {
    return Boolean(this.status && this.status.multiuser_enabled);
  },

  get isAdmin() {
    return Boolean(this.user && this.user.is_admin);
  },

  /** True for content (boards, queue items) the signed-in user owns. */
  owns(userId) {
    return Boolean(this.user) && userId === this.user.user_id;
  },
};

export function token() {
  return localStorage.getItem(TOKEN_KEY);
}

export function storeToken(value) {
  localStorage.setItem(TOKEN_KEY, value);
}

export function forgetToken() {
  localStorage.removeItem(TOKEN_KEY);
}

/** A message for the sign-in page after a reload (e.g. "You have logged out."). */
export function flash(message) {
  sessionStorage.setItem(FLASH_KEY, message);
}

export function takeFlash() {
  const message = sessionStorage.getItem(FLASH_KEY);
  sessionStorage.removeItem(FLASH_KEY);
  return message;
}
