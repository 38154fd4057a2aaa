package ai.bellm.api;

@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public class PromotionStatus {
    public boolean promoted;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("Why it was or was not promoted.")
    public String reason;
    public String championVersion;
    public Double championScore;
    public Double score;
    @com.fasterxml.jackson.annotation.JsonPropertyDescription("The version registered and made champion.")
    public String version;
}
