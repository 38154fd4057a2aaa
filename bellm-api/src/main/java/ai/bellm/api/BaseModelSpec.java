package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

public class BaseModelSpec {
    @Required
    @JsonPropertyDescription("Path of the base model inside the step pods (GGUF file or Hugging Face LLaMA or Qwen2"
            + " directory), e.g. on the data volume.")
    public String uri;
}
