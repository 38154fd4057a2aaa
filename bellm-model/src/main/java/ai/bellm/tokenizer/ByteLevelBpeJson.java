package ai.bellm.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Writes a Hugging Face {@code tokenizer.json} for a byte-level BPE vocabulary: the token list, the merges, the token
 * types (control and user-defined tokens become added tokens) and a pre-tokenizer named as llama.cpp names them.
 * GGUF files carry exactly these pieces in their metadata, so this is how a GGUF model's tokenizer is rebuilt.
 */
public final class ByteLevelBpeJson {

    /** GGUF token types (llama.cpp's llama_token_type). */
    public static final int NORMAL = 1;
    public static final int CONTROL = 3;
    public static final int USER_DEFINED = 4;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ByteLevelBpeJson() {
    }

    /** The {@code tokenizer.json} document of a GGUF file's tokenizer metadata. */
    public static String fromGgufMetadata(Map<String, Object> metadata) {
        String model = String.valueOf(metadata.get("tokenizer.ggml.model"));
        if (!model.equals("gpt2")) {
            throw new IllegalArgumentException("GGUF tokenizer model '" + model + "' is not supported: only byte-level"
                    + " BPE ('gpt2') is rebuilt from GGUF metadata; for other models use an HF directory with"
                    + " tokenizer.json");
        }
        List<?> tokens = list(metadata, "tokenizer.ggml.tokens");
        List<?> merges = list(metadata, "tokenizer.ggml.merges");
        List<?> types = metadata.containsKey("tokenizer.ggml.token_type")
                ? list(metadata, "tokenizer.ggml.token_type") : List.of();
        String pre = String.valueOf(metadata.getOrDefault("tokenizer.ggml.pre", "default"));
        boolean addBos = Boolean.TRUE.equals(metadata.get("tokenizer.ggml.add_bos_token"));
        Object bos = metadata.get("tokenizer.ggml.bos_token_id");
        OptionalInt bosId = addBos && bos instanceof Number n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
        return of(tokens, merges, types, pre, bosId);
    }

    /**
     * The {@code tokenizer.json} document of a byte-level BPE vocabulary.
     *
     * @param tokens the vocabulary, spelled in the byte-level alphabet; the id of a token is its index
     * @param merges merge rules "a b", highest priority first
     * @param types GGUF token type per id (missing entries are normal tokens)
     * @param pre llama.cpp's pre-tokenizer name: smollm, default / gpt-2, llama-bpe or qwen2
     * @param bos the id of a BOS token that starts every sequence, if the model wants one
     */
    public static String of(List<?> tokens, List<?> merges, List<?> types, String pre, OptionalInt bos) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        root.putNull("normalizer");
        root.set("pre_tokenizer", preTokenizer(pre));
        if (bos.isPresent()) {
            root.set("post_processor", prependBos(String.valueOf(tokens.get(bos.getAsInt())), bos.getAsInt()));
        } else {
            root.putNull("post_processor");
        }
        root.set("decoder", byteLevel(true));

        ObjectNode bpe = root.putObject("model");
        bpe.put("type", "BPE");
        bpe.putNull("dropout");
        bpe.putNull("unk_token");
        bpe.putNull("continuing_subword_prefix");
        bpe.putNull("end_of_word_suffix");
        bpe.put("fuse_unk", false);
        bpe.put("byte_fallback", false);
        bpe.put("ignore_merges", false);
        ObjectNode vocab = bpe.putObject("vocab");
        for (int id = 0; id < tokens.size(); id++) {
            String token = String.valueOf(tokens.get(id));
            vocab.put(token, id);
            int type = id < types.size() ? ((Number) types.get(id)).intValue() : NORMAL;
            if (type == CONTROL || type == USER_DEFINED) {
                ObjectNode t = added.addObject();
                t.put("id", id);
                t.put("content", token);
                t.put("single_word", false);
                t.put("lstrip", false);
                t.put("rstrip", false);
                t.put("normalized", false);
                t.put("special", type == CONTROL);
            }
        }
        ArrayNode mergeList = bpe.putArray("merges");
        merges.forEach(m -> mergeList.add(String.valueOf(m)));
        return root.toString();
    }

    /** The pre-tokenizer of llama.cpp's pre-tokenizer type, as a tokenizers JSON node. */
    private static ObjectNode preTokenizer(String pre) {
        return switch (pre) {
            // GPT-2's regex after splitting every digit on its own (SmolLM, SmolLM2)
            case "smollm" -> sequence(digitsEach(), byteLevel(true));
            case "default", "gpt-2", "gpt2" -> byteLevel(true);
            case "llama-bpe", "llama3" -> sequence(split(wordsAndNumbers("\\p{N}{1,3}")), byteLevel(false));
            // LLaMA 3's regex with every digit on its own
            case "qwen2" -> sequence(split(wordsAndNumbers("\\p{N}")), byteLevel(false));
            default -> throw new IllegalArgumentException("GGUF pre-tokenizer '" + pre + "' is not supported"
                    + " (supported: smollm, default/gpt-2, llama-bpe, qwen2)");
        };
    }

    /**
     * LLaMA 3's split into contractions, words, numbers ({@code numbers}: how many digits one piece takes),
     * punctuation and spaces.
     */
    private static String wordsAndNumbers(String numbers) {
        return "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|" + numbers
                + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    }

    /** A template post-processor that puts the BOS token before every sequence. */
    private static ObjectNode prependBos(String token, int id) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "TemplateProcessing");
        ArrayNode single = node.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", token).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = node.putArray("pair");
        pair.addAll(single.deepCopy());
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode special = node.putObject("special_tokens").putObject(token);
        special.put("id", token);
        special.putArray("ids").add(id);
        special.putArray("tokens").add(token);
        return node;
    }

    private static ObjectNode byteLevel(boolean useRegex) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", true);
        node.put("use_regex", useRegex);
        return node;
    }

    private static ObjectNode digitsEach() {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "Digits");
        node.put("individual_digits", true);
        return node;
    }

    private static ObjectNode split(String regex) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "Split");
        node.putObject("pattern").put("Regex", regex);
        node.put("behavior", "Isolated");
        node.put("invert", false);
        return node;
    }

    private static ObjectNode sequence(ObjectNode... steps) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", "Sequence");
        ArrayNode list = node.putArray("pretokenizers");
        for (ObjectNode step : steps) {
            list.add(step);
        }
        return node;
    }

    private static List<?> list(Map<String, Object> metadata, String key) {
        if (!(metadata.get(key) instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException("GGUF metadata has no " + key + " list: cannot rebuild the tokenizer");
        }
        return list;
    }
}
