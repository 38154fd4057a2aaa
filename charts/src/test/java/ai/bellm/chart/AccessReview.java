package ai.bellm.chart;

import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** Asks the API server's authorizer (as the admin) whether a ServiceAccount may do something. */
final class AccessReview {
    private final KubernetesClient admin;
    private final String user;
    private final String namespace;

    AccessReview(KubernetesClient admin, String serviceAccountNamespace, String serviceAccount) {
        this.admin = admin;
        this.namespace = serviceAccountNamespace;
        this.user = ServiceAccountClient.user(serviceAccountNamespace, serviceAccount);
    }

    /** {@code resource} may carry a subresource: {@code bellmexperiments/status}. */
    boolean allowed(String verb, String group, String resource, String inNamespace) {
        String[] parts = resource.split("/", 2);
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(user).withGroups(List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace,
                        "system:authenticated"))
                .withNewResourceAttributes().withVerb(verb).withGroup(group).withResource(parts[0])
                .withSubresource(parts.length > 1 ? parts[1] : null).withNamespace(inNamespace)
                .endResourceAttributes().endSpec().build();
        return admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
    }

    /** Fails unless the server enforces RBAC: under AlwaysAllow nothing here would prove anything. */
    static void requireRbac(KubernetesClient admin) {
        if (new AccessReview(admin, "nobody", "nobody").allowed("get", "", "secrets", "kube-system")) {
            throw new AssertionError("the test kube-apiserver does not enforce RBAC: start it with "
                    + "BELLM_KUBE_AUTHORIZATION=RBAC scripts/kube-apiserver.sh start DIR (scripts/test.sh does)");
        }
    }
}
