package ai.bellm.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code bellm.operator.leader-election.*} into JOSDK's leader election. */
class LeaderElectionSettingsTest {

    @Test
    void offByDefaultAndOnWithTheNamedLease() {
        assertThat(OperatorLifecycle.leaderElection(settings(false, Optional.empty()))).isEmpty();

        LeaderElectionConfiguration lease = OperatorLifecycle.leaderElection(settings(true, Optional.of("bellm-system")))
                .orElseThrow();
        assertThat(lease.getLeaseName()).isEqualTo("bellm-operator");
        assertThat(lease.getLeaseNamespace()).contains("bellm-system");
        assertThat(lease.getIdentity()).as("JOSDK's default: the host name, i.e. the pod").isEmpty();
        assertThat(lease.isExitOnStopLeading()).as("a pod that lost the Lease restarts").isTrue();

        assertThat(OperatorLifecycle.leaderElection(settings(true, Optional.empty())).orElseThrow().getLeaseNamespace())
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
