package io.agentgateway.config;

/** A policy's verdict. */
public enum Action { ALLOW, DENY }
