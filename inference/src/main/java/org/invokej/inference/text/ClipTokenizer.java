package org.invokej.inference.text;

import org.invokej.inference.InvalidModelException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's byte-level BPE tokenizer, read from a diffusers {@code tokenizer/} folder
 * ({@code vocab.json}, {@code merges.txt}, {@code special_tokens_map.json},
 * {@code tokenizer_config.json}).
 *
 * <p>Text is NFC-normalised, whitespace-collapsed and lower-cased (what CLIP's fast tokenizer
 * does; ftfy's repairs and HTML unescaping of the Python original are not applied), split with
 * CLIP's pattern, each piece mapped byte by byte to CLIP's printable alphabet, marked {@code </w>}
 * at its end and merged pair by pair, lowest merge rank first. The sequence is framed by BOS/EOS,
 * truncated to the model length keeping EOS last, and padded with the model's pad token
 * (EOS for SD 1.x, {@code !} for SD 2.x).
 */
public final class ClipTokenizer {
    /** CLIP trains with 49152 vocabulary entries: 512 byte symbols, the merges, and no more. */
    private static final int MAX_MERGES = 49152 - 256 - 2;
    private static final Pattern SPLIT = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String[] BYTE_SYMBOLS = byteSymbols();
    private static final int WORD_CACHE_SIZE = 4096;

    private final Map<String, Integer> vocab;
    private final Map<String, Integer> mergeRanks;
    private final int bos;
    private final int eos;
    private final int pad;
    private final int unk;
    private final int maxLength;
    private final Map<String, int[]> wordCache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
            return size() > WORD_CACHE_SIZE;
        }
    };

    private ClipTokenizer(Map<String, Integer> vocab, Map<String, Integer> mergeRanks, String bosToken,
            String eosToken, String padToken, String unkToken, int maxLength, Path folder) {
        this.vocab = vocab;
        this.mergeRanks = mergeRanks;
        this.bos = require(bosToken, "bos_token", folder);
        this.eos = require(eosToken, "eos_token", folder);
        this.pad = require(padToken, "pad_token", folder);
        this.unk = require(unkToken, "unk_token", folder);
        this.maxLength = maxLength;
    }

    private int require(String token, String role, Path folder) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new InvalidModelException(folder.resolve("vocab.json")
                    + ": has no entry for the " + role + " '" + token + "' named in special_tokens_map.json");
        }
        return id;
    }

    /** Reads the tokenizer files from a diffusers {@code tokenizer/} folder. */
    public static ClipTokenizer load(Path folder) {
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> vocab = new HashMap<>();
        Path vocabFile = folder.resolve("vocab.json");
        JsonNode vocabJson = readJson(json, vocabFile);
        if (!vocabJson.isObject() || vocabJson.isEmpty()) {
            throw new InvalidModelException(vocabFile + ": expected a JSON object of token -> id");
        }
        vocabJson.properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));

        Path mergesFile = folder.resolve("merges.txt");
        List<String> lines = readLines(mergesFile);
        Map<String, Integer> ranks = new HashMap<>();
        // the first line is the "#version" header
        for (int i = 1; i < lines.size() && ranks.size() < MAX_MERGES; i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] pair = line.trim().split(" ");
            if (pair.length != 2) {
                throw new InvalidModelException(mergesFile + ": line " + (i + 1) + " is not a pair of symbols: " + line);
            }
            ranks.putIfAbsent(pair[0] + " " + pair[1], ranks.size());
        }

        Path specialFile = folder.resolve("special_tokens_map.json");
        JsonNode special = Files.exists(specialFile) ? readJson(json, specialFile) : json.createObjectNode();
        Path configFile = folder.resolve("tokenizer_config.json");
        JsonNode config = Files.exists(configFile) ? readJson(json, configFile) : json.createObjectNode();
        String bos = tokenText(special, config, "bos_token", "<|startoftext|>");
        String eos = tokenText(special, config, "eos_token", "<|endoftext|>");
        String unk = tokenText(special, config, "unk_token", eos);
        String pad = tokenText(special, config, "pad_token", eos);
        int maxLength = config.path("model_max_length").asInt(77);
        if (maxLength < 2 || maxLength > 4096) {
            maxLength = 77; // tokenizer_config.json of some exports holds a huge "unlimited" value
        }
        return new ClipTokenizer(vocab, ranks, bos, eos, pad, unk, maxLength, folder);
    }

    private static String tokenText(JsonNode special, JsonNode config, String key, String fallback) {
        JsonNode node = special.has(key) ? special.get(key) : config.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        return node.isObject() ? node.path("content").asText(fallback) : node.asText(fallback);
    }

    private static JsonNode readJson(ObjectMapper json, Path file) {
        try {
            return json.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidModelException(file + ": cannot be read as JSON (" + e.getMessage() + ")");
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidModelException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** The number of ids {@link #encode} returns (77 for CLIP). */
    public int maxLength() {
        return maxLength;
    }

    public int bosId() {
        return bos;
    }

    public int eosId() {
        return eos;
    }

    public int padId() {
        return pad;
    }

    /** BOS, the text's tokens (truncated), EOS, then padding: exactly {@link #maxLength()} ids. */
    public int[] encode(String text) {
        List<Integer> tokens = tokenize(text);
        int[] ids = new int[maxLength];
        Arrays.fill(ids, pad);
        ids[0] = bos;
        int kept = Math.min(tokens.size(), maxLength - 2);
        for (int i = 0; i < kept; i++) {
            ids[i + 1] = tokens.get(i);
        }
        ids[kept + 1] = eos;
        return ids;
    }

    /** The BPE ids of the text, without BOS/EOS, padding or truncation. */
    public List<Integer> tokenize(String text) {
        String clean = WHITESPACE.matcher(Normalizer.normalize(text, Normalizer.Form.NFC)).replaceAll(" ")
                .strip().toLowerCase(Locale.ROOT);
        List<Integer> ids = new ArrayList<>();
        Matcher matcher = SPLIT.matcher(clean);
        while (matcher.find()) {
            for (int id : word(matcher.group())) {
                ids.add(id);
            }
        }
        return ids;
    }

    private int[] word(String piece) {
        synchronized (wordCache) {
            int[] cached = wordCache.get(piece);
            if (cached != null) {
                return cached;
            }
        }
        int[] ids;
        Integer special = vocab.get(piece);
        if (special != null && (special == bos || special == eos)) {
            ids = new int[] {special};
        } else {
            List<String> symbols = bpe(piece);
            ids = new int[symbols.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = vocab.getOrDefault(symbols.get(i), unk);
            }
        }
        synchronized (wordCache) {
            wordCache.put(piece, ids);
        }
        return ids;
    }

    private List<String> bpe(String piece) {
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        List<String> symbols = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            symbols.add(BYTE_SYMBOLS[b & 0xff]);
        }
        int last = symbols.size() - 1;
        symbols.set(last, symbols.get(last) + "</w>");
        while (symbols.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String bestFirst = null;
            String bestSecond = null;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer rank = mergeRanks.get(symbols.get(i) + " " + symbols.get(i + 1));
                if (rank != null && rank < bestRank) {
                    bestRank = rank;
                    bestFirst = symbols.get(i);
                    bestSecond = symbols.get(i + 1);
                }
            }
            if (bestFirst == null) {
                break;
            }
            // merge every occurrence of the best pair, left to right, as CLIP's bpe() does
            List<String> merged = new ArrayList<>(symbols.size());
            for (int i = 0; i < symbols.size(); i++) {
                if (i + 1 < symbols.size() && symbols.get(i).equals(bestFirst) && symbols.get(i + 1).equals(bestSecond)) {
                    merged.add(bestFirst + bestSecond);
                    i++;
                } else {
                    merged.add(symbols.get(i));
                }
            }
            symbols = merged;
        }
        return symbols;
    }

    /**
     * GPT-2/CLIP's reversible byte-to-unicode table: printable Latin-1 bytes stand for themselves,
     * the others are shifted to code points from 256 on, so that no symbol is whitespace or control.
     */
    public static String[] byteSymbols() {
        String[] table = new String[256];
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        }
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            table[b] = printable[b] ? String.valueOf((char) b) : String.valueOf((char) (256 + shifted++));
        }
        return table;
    }

    /** The symbols of {@link #byteSymbols()} in CLIP's vocabulary order (ids 0..255). */
    public static List<String> byteSymbolsInVocabOrder() {
        String[] table = byteSymbols();
        List<String> order = new ArrayList<>(256);
        for (int b = 0; b < 256; b++) {
            if (table[b].charAt(0) < 256) {
                order.add(table[b]);
            }
        }
        for (int b = 0; b < 256; b++) {
            if (table[b].charAt(0) >= 256) {
                order.add(table[b]);
            }
        }
        return order;
    }
}
