package org.invokej.core.prompts;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dynamicprompts template syntax as InvokeAI's web UI sends it, combinatorial and random. */
class DynamicPromptsTest {

    private static List<String> all(String template) {
        DynamicPrompts.Result result = DynamicPrompts.generate(template, 1000, true, null);
        assertNull(result.error(), template);
        return result.prompts();
    }

    @Test
    void aPromptWithoutTemplatesIsItself() {
        assertEquals(List.of("a red fox"), all("a red fox"));
        assertEquals(List.of(""), all(""));
    }

    @Test
    void variantsMultiplyInOrder() {
        assertEquals(List.of("a red fox", "a blue fox"), all("a {red|blue} fox"));
        assertEquals(List.of("red cat", "red dog", "blue cat", "blue dog"), all("{red|blue} {cat|dog}"));
        assertEquals(List.of("a dark red fox", "a light red fox", "a blue fox"), all("a {{dark|light} red|blue} fox"));
        assertEquals(List.of("a  fox", "a big fox"), all("a {|big} fox"));
    }

    @Test
    void countsPickCombinationsJoinedBySeparators() {
        assertEquals(List.of("a, b", "a, c", "b, c"), all("{2$$a|b|c}"));
        assertEquals(List.of("a", "b", "a and b"), all("{1-2$$ and $$a|b}"));
        assertEquals(List.of("x a", "x b"), all("x {~a|b}"));
        assertEquals(List.of("a", "b"), all("{2::a|b}"), "weights change draws, not the combinations");
    }

    @Test
    void maxPromptsCutsTheList() {
        assertEquals(List.of("a0", "a1", "a2"), DynamicPrompts.generate("a{0|1|2|3|4}", 3, true, null).prompts());
        assertEquals(DynamicPrompts.MAX_PROMPTS, DynamicPrompts.generate("{0|1|2|3|4|5|6|7|8|9}".repeat(5), 1_000_000, true, null).prompts().size());
    }

    @Test
    void randomDrawsAreSeededAndFromTheChoices() {
        DynamicPrompts.Result first = DynamicPrompts.generate("{red|green|blue} fox", 20, false, 7L);
        assertEquals(first, DynamicPrompts.generate("{red|green|blue} fox", 20, false, 7L));
        assertEquals(20, first.prompts().size());
        Set<String> seen = new HashSet<>(first.prompts());
        assertTrue(Set.of("red fox", "green fox", "blue fox").containsAll(seen), seen.toString());
        assertTrue(seen.size() > 1, "20 draws of three choices are not all the same: " + seen);
        List<String> weighted = DynamicPrompts.generate("{1000::a|0.001::b}", 50, false, 1L).prompts();
        assertTrue(weighted.stream().filter("a"::equals).count() > 45, weighted.toString());
    }

    @Test
    void aBrokenTemplateIsReturnedAsItIsWithTheProblem() {
        for (String broken : new String[] {"a {red|blue fox", "a red} fox", "{x$$a|b}", "a __colours__ fox"}) {
            DynamicPrompts.Result result = DynamicPrompts.generate(broken, 10, true, null);
            assertEquals(List.of(broken), result.prompts(), broken);
            assertNotNull(result.error(), broken);
        }
    }
}
