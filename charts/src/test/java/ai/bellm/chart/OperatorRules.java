package ai.bellm.chart;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;

/**
 * The operator's permissions in a watched namespace, exactly: a rule added to the chart must be added here on
 * purpose. Each one is what a call of the operator needs (see docs/kubernetes.md).
 */
final class OperatorRules {
    static final List<PolicyRule> EXPECTED = List.of(
            rule("bellm.ai", "bellmexperiments", "list", "watch", "patch"), // JOSDK's informer, the finalizer
            rule("bellm.ai", "bellmexperiments/status", "patch"),                 // status patches
            rule("batch", "jobs", "get", "list", "watch", "create", "delete"), // step Jobs, their informer, restarts
            rule("", "pods", "list"),                                           // a failed step's termination message
            rule("", "events", "create"));                                     // an Event per phase transition

    private OperatorRules() {
    }

    private static PolicyRule rule(String group, String resource, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resource).withVerbs(verbs).build();
    }
}
