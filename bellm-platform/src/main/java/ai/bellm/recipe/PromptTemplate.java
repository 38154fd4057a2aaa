package ai.bellm.recipe;

/**
 * Wraps a sentence in the prompt whose last token's hidden state becomes the embedding. The template holds the
 * placeholder {@code {text}} exactly once.
 */
public record PromptTemplate(String template) {

    public static final String PLACEHOLDER = "{text}";
    /** BeLLM's prompt: the model is asked for the one word that represents the sentence (a constant for CLI defaults). */
    public static final String DEFAULT_TEMPLATE = "The representative word for sentence {text} is:\"";
    public static final PromptTemplate DEFAULT = new PromptTemplate(DEFAULT_TEMPLATE);
    /** No prompt: the sentence as it is. */
    public static final PromptTemplate NONE = new PromptTemplate(PLACEHOLDER);

    public PromptTemplate {
        int first = template.indexOf(PLACEHOLDER);
        if (first < 0 || template.indexOf(PLACEHOLDER, first + 1) >= 0) {
            throw new IllegalArgumentException("prompt template must contain " + PLACEHOLDER + " exactly once: "
                    + template);
        }
    }

    public String apply(String text) {
        return template.replace(PLACEHOLDER, text);
    }
}
