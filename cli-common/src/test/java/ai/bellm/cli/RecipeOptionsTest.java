package ai.bellm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.recipe.Pooling;
import ai.bellm.recipe.PromptTemplate;
import ai.bellm.recipe.RecipeChanges;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

class RecipeOptionsTest {

    /** A worker command's recipe options. */
    static final class Options {
        @Mixin
        RecipeOptions recipe;

        @Mixin
        BidirectionalOption bidirectional;

        RecipeChanges parse(String... args) {
            new CommandLine(this).parseArgs(args);
            return bidirectional.addTo(recipe.changes());
        }
    }

    @Test
    void whatTheWorkflowWritesTheWorkersReadBack() {
        RecipeChanges written = new RecipeChanges(new PromptTemplate("Q: {text} A:"), Pooling.MEAN, 3, 90);
        assertThat(new Options().parse(written.toArgs().toArray(String[]::new))).isEqualTo(written);
    }

    @Test
    void optionsLeftOutChangeNothing() {
        assertThat(new Options().parse()).isEqualTo(RecipeChanges.NONE);
        assertThat(new Options().parse("--pooling", "mean"))
                .isEqualTo(new RecipeChanges(null, Pooling.MEAN, null, null));
    }
}
