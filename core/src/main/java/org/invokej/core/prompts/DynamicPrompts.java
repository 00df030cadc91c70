package org.invokej.core.prompts;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * InvokeAI's dynamic prompts ({@code POST /api/v1/utilities/dynamicprompts}, the {@code dynamicprompts}
 * library's template syntax): {@code {red|green|blue} fox} is three prompts. Variants nest, may choose
 * several ({@code {2$$a|b|c}}, {@code {1-2$$a|b|c}}) joined by ", " or a separator of their own
 * ({@code {2$$ and $$a|b|c}}), and may carry weights ({@code {3::a|b}}, used when sampling) and a sampler
 * mark ({@code ~}, {@code @}), which is accepted. Combinatorial mode lists the combinations in order;
 * random mode draws each prompt from a seeded generator. Wildcards ({@code __name__}) need wildcard files,
 * which this server does not keep: such a template is an error, as a template that does not parse.
 */
public final class DynamicPrompts {

    /** InvokeAI's {@code DynamicPromptsResponse}: the prompts, or the template itself and what is wrong with it. */
    public record Result(List<String> prompts, String error) {
        public Result {
            prompts = List.copyOf(prompts);
        }
    }

    /** The most prompts one call may ask for (InvokeAI's bound on {@code max_prompts}). */
    public static final int MAX_PROMPTS = 10_000;

    private sealed interface Part permits Text, Variant {
    }

    private record Text(String text) implements Part {
    }

    private record Choice(double weight, List<Part> parts) {
    }

    private record Variant(List<Choice> choices, int min, int max, String separator) implements Part {
    }

    private static final class ParseError extends Exception {
        ParseError(String message) {
            super(message);
        }
    }

    private DynamicPrompts() {
    }

    /**
     * The prompts of {@code template}: at most {@code maxPrompts} (1 to {@link #MAX_PROMPTS}); {@code seed}
     * is used in random mode only (none: a different draw each time).
     */
    public static Result generate(String template, int maxPrompts, boolean combinatorial, Long seed) {
        int limit = Math.max(1, Math.min(maxPrompts, MAX_PROMPTS));
        List<Part> parts;
        try {
            Parser parser = new Parser(template);
            parts = parser.sequence(false);
            parser.end();
        } catch (ParseError e) {
            return new Result(List.of(template), e.getMessage());
        }
        List<String> prompts = combinatorial ? combinations(parts, limit)
                : sample(parts, limit, seed == null ? new Random() : new Random(seed));
        return new Result(prompts.isEmpty() ? List.of("") : prompts, null);
    }

    private static List<String> combinations(List<Part> parts, int limit) {
        List<String> prompts = List.of("");
        for (Part part : parts) {
            List<String> endings = switch (part) {
                case Text text -> List.of(text.text());
                case Variant variant -> combinations(variant, limit);
            };
            List<String> longer = new ArrayList<>();
            for (String start : prompts) {
                for (String ending : endings) {
                    if (longer.size() == limit) {
                        break;
                    }
                    longer.add(start + ending);
                }
            }
            prompts = longer;
        }
        return prompts;
    }

    /** Every way to pick {@code min..max} of the choices (in their order), each choice expanded. */
    private static List<String> combinations(Variant variant, int limit) {
        List<List<String>> expanded = variant.choices().stream().map(choice -> combinations(choice.parts(), limit)).toList();
        List<String> out = new ArrayList<>();
        for (int count = variant.min(); count <= Math.min(variant.max(), expanded.size()) && out.size() < limit; count++) {
            pick(expanded, count, 0, new ArrayList<>(), variant.separator(), out, limit);
        }
        return out;
    }

    private static void pick(List<List<String>> expanded, int count, int from, List<Integer> chosen, String separator, List<String> out,
                             int limit) {
        if (out.size() >= limit) {
            return;
        }
        if (chosen.size() == count) {
            List<String> joined = List.of("");
            for (int i = 0; i < chosen.size(); i++) {
                String glue = i == 0 ? "" : separator;
                List<String> next = new ArrayList<>();
                for (String start : joined) {
                    for (String item : expanded.get(chosen.get(i))) {
                        if (next.size() < limit) {
                            next.add(start + glue + item);
                        }
                    }
                }
                joined = next;
            }
            for (String prompt : joined) {
                if (out.size() < limit) {
                    out.add(prompt);
                }
            }
            return;
        }
        for (int i = from; i < expanded.size(); i++) {
            chosen.add(i);
            pick(expanded, count, i + 1, chosen, separator, out, limit);
            chosen.remove(chosen.size() - 1);
        }
    }

    private static List<String> sample(List<Part> parts, int count, Random random) {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            prompts.add(draw(parts, random));
        }
        return prompts;
    }

    private static String draw(List<Part> parts, Random random) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Text text -> out.append(text.text());
                case Variant variant -> out.append(draw(variant, random));
            }
        }
        return out.toString();
    }

    /** A weighted draw without replacement of {@code min..max} choices. */
    private static String draw(Variant variant, Random random) {
        List<Choice> left = new ArrayList<>(variant.choices());
        int max = Math.min(variant.max(), left.size());
        int count = variant.min() >= max ? max : variant.min() + random.nextInt(max - variant.min() + 1);
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double total = left.stream().mapToDouble(Choice::weight).sum();
            double at = random.nextDouble() * total;
            int index = 0;
            while (index < left.size() - 1 && at >= left.get(index).weight()) {
                at -= left.get(index).weight();
                index++;
            }
            picked.add(draw(left.remove(index).parts(), random));
        }
        return String.join(variant.separator(), picked);
    }

    /** A recursive-descent parser over the template, one position at a time. */
    private static final class Parser {

        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        void end() throws ParseError {
            if (at < text.length()) {
                throw new ParseError("Expected end of text, found '" + text.charAt(at) + "' (at char " + at + ")");
            }
        }

        /** Text and variants up to the end, or (inside a variant) up to its next '|' or '}'. */
        List<Part> sequence(boolean inVariant) throws ParseError {
            List<Part> parts = new ArrayList<>();
            StringBuilder literal = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '\\' && at + 1 < text.length()) {
                    literal.append(text.charAt(at + 1));
                    at += 2;
                } else if (c == '{') {
                    flush(literal, parts);
                    at++;
                    parts.add(variant());
                } else if (inVariant && (c == '|' || c == '}')) {
                    break;
                } else if (c == '}') {
                    throw new ParseError("Unmatched '}' (at char " + at + ")");
                } else if (text.startsWith("__", at) && text.indexOf("__", at + 2) > at + 2) {
                    int close = text.indexOf("__", at + 2);
                    throw new ParseError("Wildcard " + text.substring(at, close + 2) + " cannot be used: this server keeps no wildcard files");
                } else {
                    literal.append(c);
                    at++;
                }
            }
            flush(literal, parts);
            return parts;
        }

        private static void flush(StringBuilder literal, List<Part> parts) {
            if (!literal.isEmpty()) {
                parts.add(new Text(literal.toString()));
                literal.setLength(0);
            }
        }

        /** After '{': [sampler] [count$$ [separator$$]] choice ('|' choice)* '}'. */
        private Variant variant() throws ParseError {
            int start = at - 1;
            if (at < text.length() && (text.charAt(at) == '~' || text.charAt(at) == '@')) {
                at++;
            }
            int min = 1;
            int max = 1;
            String separator = ", ";
            int dollars = text.indexOf("$$", at);
            int stop = firstOf(at, '|', '}', '{');
            if (dollars >= 0 && (stop < 0 || dollars < stop)) {
                String count = text.substring(at, dollars).strip();
                int[] range = range(count, start);
                min = range[0];
                max = range[1];
                at = dollars + 2;
                int second = text.indexOf("$$", at);
                int stopAfter = firstOf(at, '|', '}', '{');
                if (second >= 0 && (stopAfter < 0 || second < stopAfter)) {
                    separator = text.substring(at, second);
                    at = second + 2;
                }
            }
            List<Choice> choices = new ArrayList<>();
            while (true) {
                double weight = weight();
                choices.add(new Choice(weight, sequence(true)));
                if (at >= text.length()) {
                    throw new ParseError("Expected '}' to close the variant opened at char " + start);
                }
                char c = text.charAt(at++);
                if (c == '}') {
                    break;
                }
            }
            return new Variant(choices, min, max, separator);
        }

        private int[] range(String count, int start) throws ParseError {
            try {
                if (count.isEmpty()) {
                    return new int[] {1, 1};
                }
                int dash = count.indexOf('-');
                if (dash < 0) {
                    int n = Integer.parseInt(count);
                    return new int[] {n, n};
                }
                int low = dash == 0 ? 1 : Integer.parseInt(count.substring(0, dash).strip());
                String high = count.substring(dash + 1).strip();
                return new int[] {low, high.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(high)};
            } catch (NumberFormatException e) {
                throw new ParseError("Expected a count before '$$' in the variant at char " + start + ", found '" + count + "'");
            }
        }

        /** A leading {@code number::} of a choice, or 1. */
        private double weight() {
            int colons = text.indexOf("::", at);
            int stop = firstOf(at, '|', '}', '{');
            if (colons >= 0 && (stop < 0 || colons < stop)) {
                try {
                    double weight = Double.parseDouble(text.substring(at, colons).strip());
                    at = colons + 2;
                    return weight;
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
            return 1;
        }

        private int firstOf(int from, char... stops) {
            int first = -1;
            for (char stop : stops) {
                int found = text.indexOf(stop, from);
                if (found >= 0 && (first < 0 || found < first)) {
                    first = found;
                }
            }
            return first;
        }
    }
}
