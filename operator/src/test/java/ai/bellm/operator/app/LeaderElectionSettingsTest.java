package ai.bellm.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import ai.bellm.operator.k8s.LeaderLease;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code bellm.operator.leader-election.*} into the operator's Lease. */
class LeaderElectionSettingsTest {

    @Test
    void offByDefaultAndOnWithTheNamedLease() {
        assertThat(OperatorLifecycle.leaderElection(settings(false, Optional.empty()))).isEmpty();
        LeaderLease lease = OperatorLifecycle.leaderElection(settings(true, Optional.of("bellm-system"))).orElseThrow();
        assertThat(lease.name()).isEqualTo("bellm-operator");
        assertThat(lease.namespace()).contains("bellm-system");
        assertThat(OperatorLifecycle.leaderElection(settings(true, Optional.empty())).orElseThrow().namespace())
                .as("JOSDK infers the operator's own namespace").isEmpty();
    }

    private static OperatorConfig.LeaderElection settings(boolean enabled, Optional<String> namespace) {
        return new OperatorConfig.LeaderElection() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public String leaseName() {
                return "bellm-operator";
            }

            @Override
            public Optional<String> leaseNamespace() {
                return namespace;
            }
        };
    }
}
