package io.agentgateway.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component whose own keys sit in the enclosing YAML object rather than under a
 * key of their own. It lets {@code security.authentication} accept the single-method form
 * ({@code type: kubernetes} beside {@code allowed_namespaces}) as well as {@code methods: [...]}.
 * The inline record is null when none of its keys is present.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Inline {
}
