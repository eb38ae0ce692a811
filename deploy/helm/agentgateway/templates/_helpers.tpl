{{/* Chart name, overridable. */}}
{{- define "agentgateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Resource name: the release name when it already says agentgateway (the usual install). */}}
{{- define "agentgateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "agentgateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agentgateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "agentgateway.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: agentgateway
{{- end }}

{{/* The gateway's labels; `app` as in deploy/kubernetes. */}}
{{- define "agentgateway.labels" -}}
{{ include "agentgateway.commonLabels" . }}
{{ include "agentgateway.selectorLabels" . }}
app: {{ include "agentgateway.name" . }}
{{- end }}

{{- define "agentgateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "agentgateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "agentgateway.redis.fullname" -}}
{{- printf "%s-redis" (include "agentgateway.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "agentgateway.redis.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agentgateway.name" . }}-redis
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "agentgateway.redis.labels" -}}
{{ include "agentgateway.commonLabels" . }}
{{ include "agentgateway.redis.selectorLabels" . }}
app.kubernetes.io/component: redis
{{- end }}

{{/* Volume name of a mounted Secret (a DNS label, at most 63 characters). */}}
{{- define "agentgateway.secretVolume" -}}
{{- printf "secret-%s" . | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The admin port (probes, /metrics): config.admin.port, default 15000 as in the gateway. */}}
{{- define "agentgateway.adminPort" -}}
{{- int (dig "admin" "port" 15000 .Values.config) }}
{{- end }}

{{/*
The gateway's config.yaml: .Values.config as written, except that rate_limit_store.url is filled
in with the bundled Redis when the store is redis in mode standalone, redis.enabled is true and no
url is given (Sentinel and Cluster are always external: give their nodes).
*/}}
{{- define "agentgateway.config" -}}
{{- $cfg := deepCopy .Values.config }}
{{- $store := dig "rate_limit_store" dict $cfg }}
{{- if and .Values.redis.enabled (eq (toString (dig "type" "" $store)) "redis") (eq (toString (dig "mode" "standalone" $store)) "standalone") (empty (dig "url" "" $store)) }}
{{- $_ := set $store "url" (printf "redis://%s.%s.svc:%d" (include "agentgateway.redis.fullname" .) .Release.Namespace (int .Values.redis.port)) }}
{{- $_ := set $cfg "rate_limit_store" $store }}
{{- end }}
{{- toYaml $cfg }}
{{- end }}

{{/* A duration of the config (30s, 2m, 1h30m ...) in whole seconds; 30 when absent. */}}
{{- define "agentgateway.durationSeconds" -}}
{{- $total := 0 }}
{{- range $part := regexFindAll "[0-9]+(ms|s|m|h|d)" (toString .) -1 }}
{{- $n := int (regexFind "^[0-9]+" $part) }}
{{- $unit := regexReplaceAll "^[0-9]+" $part "" }}
{{- if eq $unit "s" }}{{ $total = add $total $n }}{{ end }}
{{- if eq $unit "m" }}{{ $total = add $total (mul $n 60) }}{{ end }}
{{- if eq $unit "h" }}{{ $total = add $total (mul $n 3600) }}{{ end }}
{{- if eq $unit "d" }}{{ $total = add $total (mul $n 86400) }}{{ end }}
{{- if eq $unit "ms" }}{{ $total = add $total (div (add $n 999) 1000) }}{{ end }}
{{- end }}
{{- $total }}
{{- end }}

{{/* Checks that would otherwise only show up as a broken rollout. */}}
{{- define "agentgateway.validate" -}}
{{- $grace := int (include "agentgateway.durationSeconds" (dig "shutdown" "grace_period" "30s" .Values.config)) }}
{{- $needed := add $grace .Values.preStopSleepSeconds }}
{{- if le (int .Values.terminationGracePeriodSeconds) $needed }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed shutdown.grace_period (%ds) plus preStopSleepSeconds (%d): the kubelet would kill in-flight streams" (int .Values.terminationGracePeriodSeconds) $grace (int .Values.preStopSleepSeconds)) }}
{{- end }}
{{- if and .Values.secretMounts (not .Values.config.secrets_dir) }}
{{- fail "secretMounts are mounted under config.secrets_dir, which is not set: the gateway would not read them" }}
{{- end }}
{{- $store := dig "rate_limit_store" dict .Values.config }}
{{- if and (eq (toString (dig "type" "" $store)) "redis") (eq (toString (dig "mode" "standalone" $store)) "standalone") (empty (dig "url" "" $store)) (not .Values.redis.enabled) }}
{{- fail "config.rate_limit_store.url is empty and redis.enabled is false: give the URL of your Redis (or mode sentinel / cluster with their nodes)" }}
{{- end }}
{{- range .Values.config.listeners }}
{{- if not .port }}
{{- fail (printf "config.listeners %s: a fixed port is needed in Kubernetes (port 0 picks a random one)" .name) }}
{{- end }}
{{- end }}
{{- end }}
