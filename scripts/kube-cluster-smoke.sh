#!/usr/bin/env bash
# Smoke checks of a running scripts/kube-cluster.sh cluster, in a namespace of their own (deleted at the end):
#   scripts/kube-cluster-smoke.sh [--image IMAGE] [--images TAG]
# IMAGE: a local image with bash for checks 1-4 (default bellm/base-jre:bookworm); --images TAG adds check 6.
# 1. a pod with the restricted profile (runAsNonRoot uid 10001, read-only root, no privilege escalation, all
#    capabilities dropped, seccomp RuntimeDefault) Succeeds, and its log shows uid, read-only root, CapEff 0, Seccomp 2;
# 2. a Job completes; deleted with propagation Background, the garbage collector removes its pod;
# 3. RBAC and the in-cluster path of the API server: a pod runs the host's kubectl (hostPath) with its
#    ServiceAccount's token through KUBERNETES_SERVICE_HOST:PORT (10.0.0.1:443): Forbidden without a Role, allowed
#    with one;
# 4. a pod reaches a host service on BELLM_KUBE_HOST_IP (a python http.server started and stopped here);
# 5. the kubelet's API refuses anonymous requests;
# 6. (--images TAG) the platform's images of scripts/build-images.sh with the tiny example's random model (written by
#    the workers image's `bellm tiny-model`, seed 7 as `./bellm run crds/examples/tiny.yaml`), mounted read-only by
#    hostPath: a bellm/workers:TAG step Job as the operator builds it (`bellm
#    embed`, workingDir /work) completes; bellm/embed-service:TAG with the chart's security settings, env and
#    emptyDirs turns Ready and answers /model.
# Prints the time of each step; exit 1 at the first failure. Every wait is bounded (BELLM_SMOKE_TIMEOUT, 60 s).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
image=bellm/base-jre:bookworm
images_tag=""
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image=$2; shift 2 ;;
    --images) images_tag=$2; shift 2 ;;
    *) echo "usage: $0 [--image IMAGE] [--images TAG]" >&2; exit 2 ;;
  esac
done
timeout_s="${BELLM_SMOKE_TIMEOUT:-60}"
eval "$("$here/kube-cluster.sh" env | sed 's/^/export /')"
ns="bellm-smoke-$$"
k() { kubectl --request-timeout 10s -n "$ns" "$@"; }
log() { echo "smoke: $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
now() { date +%s.%N; }
since() { printf '%.2f' "$(echo "$(now) - $1" | bc)"; }
http_pid=""
work=$(mktemp -d)
cleanup() {
  [ -z "$http_pid" ] || kill "$http_pid" 2>/dev/null || true
  kubectl --request-timeout 10s delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# wait_phase POD PHASE: until the pod reaches PHASE (fails early on the other terminal phase)
wait_phase() {
  local pod=$1 want=$2 deadline=$((SECONDS + timeout_s)) phase
  while [ $SECONDS -lt $deadline ]; do
    phase=$(k get pod "$pod" -o jsonpath='{.status.phase}' 2>/dev/null || true)
    [ "$phase" = "$want" ] && return
    case "$phase" in Succeeded|Failed) k logs "$pod" >&2 || true; fail "pod $pod is $phase, not $want" ;; esac
    sleep 0.2
  done
  k describe pod "$pod" >&2 || true; fail "pod $pod not $want after $timeout_s s"
}

restricted='{"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}}'
pod_security='{"runAsNonRoot": true, "runAsUser": 10001, "runAsGroup": 10001, "seccompProfile": {"type": "RuntimeDefault"}}'
# pod NAME COMMAND [SERVICEACCOUNT]: a restricted pod of IMAGE running bash -c COMMAND
pod() {
  local name=$1 command=$2 sa=${3:-}
  cat <<EOF
{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "$name"},
 "spec": {"restartPolicy": "Never", "automountServiceAccountToken": $([ -n "$sa" ] && echo true || echo false),
  $([ -n "$sa" ] && echo "\"serviceAccountName\": \"$sa\",")
  "securityContext": $pod_security,
  "containers": [{"name": "main", "image": "$image", "imagePullPolicy": "Never", "command": ["bash", "-c", $(printf '%s' "$command" | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read()))')],
    "env": [{"name": "HOME", "value": "/tmp"}],
    "securityContext": $restricted,
    "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}, {"name": "kubectl", "mountPath": "/kubectl", "readOnly": true}]}],
  "volumes": [{"name": "tmp", "emptyDir": {}},
              {"name": "kubectl", "hostPath": {"path": "$(readlink -f "$(command -v kubectl)")", "type": "File"}}]}}
EOF
}

kubectl --request-timeout 10s create namespace "$ns" >/dev/null
deadline=$((SECONDS + timeout_s))
until [ -n "$(k get serviceaccount default -o jsonpath='{.secrets[0].name}' 2>/dev/null)" ]; do
  [ $SECONDS -lt $deadline ] || fail "no default ServiceAccount token in $ns"; sleep 0.2
done

t=$(now)
pod restricted 'id; touch /x 2>/dev/null && echo root-fs-writable || echo root-fs-read-only
  grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status' | k apply -f - >/dev/null
wait_phase restricted Succeeded
out=$(k logs restricted)
for want in "uid=10001" root-fs-read-only "CapEff:	0000000000000000" "NoNewPrivs:	1" "Seccomp:	2"; do
  grep -qF "$want" <<< "$out" || { echo "$out" >&2; fail "restricted pod: no '$want' in its log"; }
done
log "1. restricted pod Succeeded in $(since "$t") s: $(echo "$out" | tr '\n\t' '; ')"

t=$(now)
cat <<EOF | k apply -f - >/dev/null
{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "smoke-job"},
 "spec": {"backoffLimit": 1, "template": $(pod x 'echo job ran as $(id -u)' | python3 -c 'import json,sys; p=json.load(sys.stdin); del p["metadata"]["name"]; print(json.dumps({"metadata": {}, "spec": p["spec"]}))')}}
EOF
k wait --for=condition=complete job/smoke-job --timeout="${timeout_s}s" >/dev/null || fail "the Job did not complete"
job_pod=$(k get pods -l job-name=smoke-job -o jsonpath='{.items[0].metadata.name}')
log "2. Job complete in $(since "$t") s ($(k logs "$job_pod"))"
t=$(now)
k delete job smoke-job --cascade=background >/dev/null
deadline=$((SECONDS + timeout_s))
while k get pod "$job_pod" >/dev/null 2>&1; do [ $SECONDS -lt $deadline ] || fail "pod $job_pod still there"; sleep 0.1; done
log "   its pod $job_pod garbage collected $(since "$t") s after the Job's deletion"

k create serviceaccount smoke-reader >/dev/null
list='echo "API at $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT"; /kubectl get pods -o name; echo "rc=$?"'
pod denied "$list" smoke-reader | k apply -f - >/dev/null
wait_phase denied Succeeded
out=$(k logs denied)
grep -q 'forbidden: User "system:serviceaccount:'"$ns"':smoke-reader" cannot list resource "pods"' <<< "$out" \
  || { echo "$out" >&2; fail "without a Role the ServiceAccount was not refused"; }
k create role smoke-pod-reader --verb=list --resource=pods >/dev/null
k create rolebinding smoke-pod-reader --role=smoke-pod-reader --serviceaccount="$ns:smoke-reader" >/dev/null
pod allowed "$list" smoke-reader | k apply -f - >/dev/null
wait_phase allowed Succeeded
out=$(k logs allowed)
grep -q "pod/denied" <<< "$out" && grep -q "rc=0" <<< "$out" || { echo "$out" >&2; fail "with the Role the list failed"; }
log "3. in-cluster API ($(head -1 <<< "$out")): Forbidden without a Role, pods listed with one"

mkdir -p "$work/www" && echo "hello from the host" > "$work/www/index.html"
port=$(python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$BELLM_KUBE_HOST_IP")
(cd "$work/www" && exec python3 -m http.server "$port" --bind "$BELLM_KUBE_HOST_IP" > "$work/http.log" 2>&1) &
http_pid=$!
deadline=$((SECONDS + timeout_s))
until curl -fs --max-time 1 "http://$BELLM_KUBE_HOST_IP:$port/" >/dev/null; do
  [ $SECONDS -lt $deadline ] || fail "http.server did not start"; sleep 0.2
done
pod host-service "exec 3<>/dev/tcp/$BELLM_KUBE_HOST_IP/$port; printf 'GET / HTTP/1.0\r\n\r\n' >&3; tail -1 <&3" \
  | k apply -f - >/dev/null
wait_phase host-service Succeeded
[ "$(k logs host-service)" = "hello from the host" ] || fail "the pod did not get the host's page: $(k logs host-service)"
log "4. a pod ($(k get pod host-service -o jsonpath='{.status.podIP}')) reached http://$BELLM_KUBE_HOST_IP:$port on the host"

code=$(curl -sk --max-time 5 -o /dev/null -w '%{http_code}' "https://$BELLM_KUBE_HOST_IP:10250/pods")
[ "$code" = 401 ] || fail "the kubelet answered an anonymous request with $code"
log "5. kubelet API: anonymous request refused (HTTP $code)"

if [ -n "$images_tag" ]; then
  models="$work/models"; mkdir -p "$models"; chmod 755 "$work" "$models"
  chmod 777 "$models" # the image's user writes the model, pods read it
  docker run --rm --read-only --tmpfs /tmp:exec --user 10001 -v "$models:/models" "bellm/workers:$images_tag" \
    tiny-model --out /models/tiny --seed 7 > "$work/tiny-model.log" 2>&1 \
    || { cat "$work/tiny-model.log" >&2; fail "bellm tiny-model wrote no model"; }
  chmod 755 "$models"; chmod -R a+rX "$models"
  restricted_c='"securityContext": '"$restricted"
  t=$(now)
  cat <<EOF | k apply -f - >/dev/null
{"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "workers-embed"},
 "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never", "automountServiceAccountToken": false,
  "securityContext": $pod_security,
  "containers": [{"name": "worker", "image": "bellm/workers:$images_tag", "command": ["bellm"],
    "args": ["embed", "--model", "/models/tiny", "--cosine", "A man is playing a guitar.", "Someone plays an instrument."],
    "workingDir": "/work", "terminationMessagePolicy": "FallbackToLogsOnError", $restricted_c,
    "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}},
    "volumeMounts": [{"name": "work", "mountPath": "/work"}, {"name": "tmp", "mountPath": "/tmp"},
                     {"name": "models", "mountPath": "/models", "readOnly": true}]}],
  "volumes": [{"name": "work", "emptyDir": {}}, {"name": "tmp", "emptyDir": {}},
              {"name": "models", "hostPath": {"path": "$models", "type": "Directory"}}]}}}}
EOF
  k wait --for=condition=complete job/workers-embed --timeout="$((timeout_s * 2))s" >/dev/null \
    || { k logs job/workers-embed >&2 || true; fail "the workers Job did not complete"; }
  log "6. bellm/workers:$images_tag step Job complete in $(since "$t") s: cosine $(k logs job/workers-embed)"
  t=$(now)
  cat <<EOF | k apply -f - >/dev/null
{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "embed-service"},
 "spec": {"automountServiceAccountToken": false,
  "securityContext": {"runAsNonRoot": true, "runAsUser": 10001, "runAsGroup": 10001, "fsGroup": 10001,
                      "seccompProfile": {"type": "RuntimeDefault"}},
  "containers": [{"name": "embed-service", "image": "bellm/embed-service:$images_tag", "imagePullPolicy": "IfNotPresent",
    "env": [{"name": "BELLM_MODEL_PATH", "value": "/models/tiny"},
            {"name": "BELLM_MODEL_CACHE_DIR", "value": "/var/cache/bellm/models"},
            {"name": "DJL_CACHE_DIR", "value": "/var/cache/bellm/djl"}, {"name": "ENGINE_CACHE_DIR", "value": "/var/cache/bellm/djl"},
            {"name": "JAVA_OPTS", "value": "-XX:MaxRAMPercentage=75"}],
    "ports": [{"name": "http", "containerPort": 8080}],
    "readinessProbe": {"httpGet": {"path": "/q/health/ready", "port": "http"}, "periodSeconds": 1},
    "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}},
    $restricted_c,
    "volumeMounts": [{"name": "tmp", "mountPath": "/tmp"}, {"name": "cache", "mountPath": "/var/cache/bellm"},
                     {"name": "models", "mountPath": "/models", "readOnly": true}]}],
  "volumes": [{"name": "tmp", "emptyDir": {"sizeLimit": "256Mi"}}, {"name": "cache", "emptyDir": {"sizeLimit": "4Gi"}},
              {"name": "models", "hostPath": {"path": "$models", "type": "Directory"}}]}}
EOF
  k wait --for=condition=Ready pod/embed-service --timeout="$((timeout_s * 2))s" >/dev/null \
    || { k logs embed-service >&2 || true; fail "embed-service not Ready"; }
  model=$(curl -fsS --max-time 5 "http://$(k get pod embed-service -o jsonpath='{.status.podIP}'):8080/model") \
    || fail "embed-service's /model did not answer"
  grep -q '"loaded":true' <<< "$model" || fail "embed-service has no model: $model"
  log "   bellm/embed-service:$images_tag Ready in $(since "$t") s: $model"
fi
log "all checks passed"
