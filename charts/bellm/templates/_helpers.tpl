{{/* The chart's name, cut to 63 characters (a DNS label). */}}
{{- define "bellm.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's base name: the release name, with the chart name appended unless it already holds it. Components
     append "-operator" / "-embed-service", so it is cut to 48 characters. */}}
{{- define "bellm.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 48 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 48 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 48 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "bellm.operator.fullname" -}}
{{ include "bellm.fullname" . }}-operator
{{- end }}

{{- define "bellm.embedService.fullname" -}}
{{ include "bellm.fullname" . }}-embed-service
{{- end }}

{{/* Labels of every object; call with (dict "root" $ "component" "operator"). */}}
{{- define "bellm.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "bellm.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: bellm
{{- end }}

{{- define "bellm.selectorLabels" -}}
app.kubernetes.io/name: {{ include "bellm.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* repository:tag of an image value; the tag defaults to the chart's appVersion. Call with (dict "root" $ "image" ...). */}}
{{- define "bellm.image" -}}
{{ .image.repository }}:{{ default .root.Chart.AppVersion .image.tag }}
{{- end }}

{{- define "bellm.operator.serviceAccountName" -}}
{{- if .Values.operator.serviceAccount.create }}
{{- default (include "bellm.operator.fullname" .) .Values.operator.serviceAccount.name }}
{{- else }}
{{- required "operator.serviceAccount.name is required when operator.serviceAccount.create is false" .Values.operator.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* MLflow credentials from the Secret named by mlflow.auth.existingSecret, one variable per key that is set. */}}
{{- define "bellm.mlflowAuthEnv" -}}
{{- $auth := .Values.mlflow.auth }}
{{- if $auth.existingSecret }}
{{- if not (or $auth.usernameKey $auth.passwordKey $auth.tokenKey) }}
{{- fail "mlflow.auth.existingSecret needs usernameKey + passwordKey or tokenKey" }}
{{- end }}
{{- if ne (empty $auth.usernameKey) (empty $auth.passwordKey) }}
{{- fail "mlflow.auth.usernameKey and mlflow.auth.passwordKey go together" }}
{{- end }}
{{- range $var, $key := dict "MLFLOW_TRACKING_USERNAME" $auth.usernameKey "MLFLOW_TRACKING_PASSWORD" $auth.passwordKey "MLFLOW_TRACKING_TOKEN" $auth.tokenKey }}
{{- if $key }}
- name: {{ $var }}
  valueFrom:
    secretKeyRef:
      name: {{ $auth.existingSecret }}
      key: {{ $key }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{- define "bellm.imagePullSecrets" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
{{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* The Kafka client properties file from kafka.clientProperties.existingSecret: its volume, mount and path. */}}
{{- define "bellm.kafkaClientVolume" -}}
{{- with .Values.kafka.clientProperties.existingSecret }}
- name: kafka-client
  secret:
    secretName: {{ . }}
{{- end }}
{{- end }}

{{- define "bellm.kafkaClientMount" -}}
{{- if .Values.kafka.clientProperties.existingSecret }}
- name: kafka-client
  mountPath: /etc/bellm/kafka
  readOnly: true
{{- end }}
{{- end }}

{{- define "bellm.kafkaClientFile" -}}
/etc/bellm/kafka/{{ .Values.kafka.clientProperties.key }}
{{- end }}

{{/* Leader election: asked for, or needed because more than one operator replica runs. "true" or empty. */}}
{{- define "bellm.operator.leaderElection" -}}
{{- if or .Values.operator.leaderElection.enabled (gt (int .Values.operator.replicas) 1) }}true{{ end }}
{{- end }}

{{- /*
The webhook's CA and the certificate it signed for the operator's Service (base64), made once per render: the Secret,
the caBundle and the operator pod's checksum annotation all read this one result.
*/ -}}
{{- define "bellm.operator.webhookTls" -}}
{{- if not (hasKey .Values "_webhookTls") }}
{{- $service := include "bellm.operator.fullname" . }}
{{- $host := printf "%s.%s.svc" $service .Release.Namespace }}
{{- $ca := genCA (printf "%s-webhook-ca" $service) 3650 }}
{{- $cert := genSignedCert $host nil (list $service (printf "%s.%s" $service .Release.Namespace) $host) 3650 $ca }}
{{- $_ := set .Values "_webhookTls" (dict "ca" ($ca.Cert | b64enc) "crt" ($cert.Cert | b64enc) "key" ($cert.Key | b64enc)) }}
{{- end }}
{{- toYaml (get .Values "_webhookTls") }}
{{- end }}
