package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the base model is stored; the workers tell them apart by themselves, the field documents and checks it. */
public enum ModelFormat {
    @JsonProperty("gguf") GGUF,
    @JsonProperty("hf") HF
}
