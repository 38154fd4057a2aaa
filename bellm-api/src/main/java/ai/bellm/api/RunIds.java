package ai.bellm.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** MLflow runs of the experiment: a parent run and a child run per step. */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public class RunIds {
    public String mlflowUri;
    public String parent;
    @JsonPropertyDescription("Sweep shard runs, shard 1 first.")
    public List<String> sweep = new ArrayList<>();
    public String train;
    public String evaluate;
}
