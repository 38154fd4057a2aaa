package ai.bellm.serve;

import ai.bellm.events.ModelPromoted;

/**
 * The registered model and alias a service serves ({@code bellm.model.registry-name}, {@code bellm.model.alias}). The
 * registry is the authority on which version the alias names: an event only says when to look again.
 */
public record FollowedAlias(String model, String alias) {

    public String uri() {
        return "models:/" + model + "@" + alias;
    }

    /** Why an event does not concern this alias, or null when it does. */
    String mismatch(ModelPromoted event) {
        if (!model.equals(event.model())) {
            return "other-model";
        }
        return alias.equals(event.alias()) ? null : "other-alias";
    }
}
