package org.invokej.inference.text;

import org.invokej.inference.InvalidModelException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tokenizer against a fixture vocabulary laid out like CLIP's: ids 0..255 are the 256 byte
 * symbols in CLIP's order (printable bytes '!'..'~', '¡'..'¬', '®'..'ÿ', then the others shifted
 * to U+0100...), 256..511 the same with {@code </w>}, each merge's result at 512 + its rank in
 * CLIP's merges.txt, and {@code <|startoftext|>}=49406, {@code <|endoftext|>}=49407. The merges
 * kept here are from the head of CLIP's list, so ids such as a=320, the=518, of=539 are CLIP's own.
 */
class ClipTokenizerTest {
    private static final int BOS = 49406;
    private static final int EOS = 49407;
    /** [rank in CLIP's merges.txt, merge] for the merges this fixture keeps. */
    private static final Object[][] MERGES = {
        {0, "i n"}, {1, "t h"}, {6, "th e</w>"}, {7, "in g</w>"}, {10, "s t"}, {27, "o f</w>"}, {40, "h e</w>"},
    };

    @TempDir
    Path folder;

    private ClipTokenizer tokenizer(String padToken) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<String> bytes = new ArrayList<>();
        IntStream.rangeClosed('!', '~').forEach(b -> bytes.add(String.valueOf((char) b)));
        IntStream.rangeClosed(0xA1, 0xAC).forEach(b -> bytes.add(String.valueOf((char) b)));
        IntStream.rangeClosed(0xAE, 0xFF).forEach(b -> bytes.add(String.valueOf((char) b)));
        for (int i = 0; i < 68; i++) {
            bytes.add(String.valueOf((char) (256 + i)));
        }
        for (int i = 0; i < 256; i++) {
            vocab.put(bytes.get(i), i);
            vocab.put(bytes.get(i) + "</w>", 256 + i);
        }
        StringBuilder merges = new StringBuilder("#version: 0.2\n");
        for (Object[] merge : MERGES) {
            String pair = (String) merge[1];
            merges.append(pair).append('\n');
            vocab.put(pair.replace(" ", ""), 512 + (int) merge[0]);
        }
        vocab.put("<|startoftext|>", BOS);
        vocab.put("<|endoftext|>", EOS);
        String vocabJson = vocab.entrySet().stream()
                .map(e -> "\"" + e.getKey().replace("\\", "\\\\").replace("\"", "\\\"") + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        Files.writeString(folder.resolve("vocab.json"), vocabJson, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("merges.txt"), merges.toString(), StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("special_tokens_map.json"), """
                {"bos_token": {"content": "<|startoftext|>"}, "eos_token": "<|endoftext|>",
                 "unk_token": "<|endoftext|>", "pad_token": "%s"}""".formatted(padToken));
        Files.writeString(folder.resolve("tokenizer_config.json"), "{\"model_max_length\": 77}");
        return ClipTokenizer.load(folder);
    }

    private static int[] framed(int pad, int... tokens) {
        int[] ids = new int[77];
        java.util.Arrays.fill(ids, pad);
        ids[0] = BOS;
        System.arraycopy(tokens, 0, ids, 1, tokens.length);
        ids[tokens.length + 1] = EOS;
        return ids;
    }

    @Test
    void singleBytesAndMergedWordsGetClipIds() throws IOException {
        ClipTokenizer tokenizer = tokenizer("<|endoftext|>");
        // a</w> = 256 + ('a' - '!') = 320; "the" merges t+h (rank 1) before h+e</w> (rank 40) -> the</w> = 518
        assertEquals(List.of(320, 518, 539), tokenizer.tokenize("a the of"));
        // c=66 a=64 t</w>=256+83
        assertEquals(List.of(66, 64, 339), tokenizer.tokenize("cat"));
    }

    @Test
    void theLowestRankedPairMergesFirstWhereverItIs() throws IOException {
        ClipTokenizer tokenizer = tokenizer("<|endoftext|>");
        // s t i n g</w>: i+n (rank 0) first, then in+g</w> (rank 7) before s+t (rank 10): st=522, ing</w>=519
        assertEquals(List.of(522, 519), tokenizer.tokenize("sting"));
    }

    @Test
    void textIsLowerCasedAndWhitespaceCollapsed() throws IOException {
        ClipTokenizer tokenizer = tokenizer("<|endoftext|>");
        assertEquals(tokenizer.tokenize("the cat"), tokenizer.tokenize("  THE\t\u00a0\n Cat "));
    }

    @Test
    void punctuationAndDigitsAreSeparatePieces() throws IOException {
        ClipTokenizer tokenizer = tokenizer("<|endoftext|>");
        // "a," -> a</w>, ,</w> (','=0x2C -> 11, +256); "42" -> two single digits '4'=19+256, '2'=17+256
        assertEquals(List.of(320, 267, 275, 273), tokenizer.tokenize("a, 42"));
    }

    @Test
    void nonAsciiTextIsEncodedAsUtf8ByteSymbols() throws IOException {
        ClipTokenizer tokenizer = tokenizer("<|endoftext|>");
        // 猫 = E7 8C AB: E7 is printable (id 106 + 0xE7-0xAE = 163), 8C is shifted (221 + 0x8C-0x7F = 234),
        // AB is printable (94 + 0xAB-0xA1 = 104) and ends the word: 256 + 104 = 360
        assertEquals(List.of(163, 234, 360), tokenizer.tokenize("猫"));
    }

    @Test
    void encodeFramesWithBosEosAndPadsWithTheModelsPadToken() throws IOException {
        assertArrayEquals(framed(EOS, 320, 518), tokenizer("<|endoftext|>").encode("a the"));
        // SD 2.x pads with "!" (id 0)
        assertArrayEquals(framed(0, 320, 518), tokenizer("!").encode("a the"));
        assertArrayEquals(framed(EOS), tokenizer("<|endoftext|>").encode(""));
    }

    @Test
    void longTextIsTruncatedKeepingEos() throws IOException {
        int[] ids = tokenizer("<|endoftext|>").encode("a ".repeat(100));
        assertEquals(77, ids.length);
        assertEquals(BOS, ids[0]);
        assertEquals(EOS, ids[76]);
        assertTrue(IntStream.range(1, 76).allMatch(i -> ids[i] == 320));
    }

    @Test
    void specialTokensInTheTextStayWhole() throws IOException {
        assertEquals(List.of(320, EOS), tokenizer("<|endoftext|>").tokenize("a <|endoftext|>"));
    }

    @Test
    void aVocabularyWithoutTheNamedSpecialTokenIsRefused() throws IOException {
        tokenizer("<|endoftext|>");
        Files.writeString(folder.resolve("special_tokens_map.json"), "{\"pad_token\": \"<pad>\"}");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ClipTokenizer.load(folder));
        assertTrue(e.getMessage().contains("vocab.json") && e.getMessage().contains("<pad>"), e.getMessage());
    }

    @Test
    void aMissingVocabularyIsRefusedNamingTheFile() {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> ClipTokenizer.load(folder));
        assertTrue(e.getMessage().contains("vocab.json"), e.getMessage());
    }
}
