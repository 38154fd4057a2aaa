package ai.bellm.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RecipeChangesTest {

    private static final EmbeddingRecipe STORED = new EmbeddingRecipe(new PromptTemplate("Sentence: {text} means"),
            Pooling.MEAN, OptionalInt.of(3), 100);

    @Test
    void unsetPartsKeepTheBaseRecipe() {
        assertThat(RecipeChanges.NONE.applyTo(STORED)).isEqualTo(STORED);
        assertThat(new RecipeChanges(null, Pooling.LAST_TOKEN, null, null).applyTo(STORED))
                .isEqualTo(STORED.withPooling(Pooling.LAST_TOKEN));
        assertThat(new RecipeChanges(null, null, 1, 64).applyTo(STORED))
                .isEqualTo(STORED.withBidirectionalFrom(OptionalInt.of(1)).withMaxTokens(64));
    }

    @Test
    void argumentsNameOnlyTheSetParts() {
        assertThat(RecipeChanges.NONE.toArgs()).isEmpty();
        assertThat(new RecipeChanges(PromptTemplate.DEFAULT, Pooling.MEAN, 2, 80).toArgs()).containsExactly(
                "--prompt", PromptTemplate.DEFAULT_TEMPLATE, "--pooling", "mean", "--bidirectional-from", "2",
                "--max-tokens", "80");
    }

    @Test
    void everyStepRecordsARecipeUnderTheSameKeys() {
        assertThat(STORED.params()).containsExactly(
                java.util.Map.entry("prompt", "Sentence: {text} means"), java.util.Map.entry("pooling", "mean"),
                java.util.Map.entry("bidirectional_from", "3"), java.util.Map.entry("max_tokens", "100"));
        assertThat(EmbeddingRecipe.DEFAULT.params()).containsEntry("bidirectional_from", "none");
    }
}
