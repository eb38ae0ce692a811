package io.agentgateway.cli;

import io.agentgateway.core.GatewayVersion;
import picocli.CommandLine;

/** {@code agentgateway --version}: the Maven project version. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"agentgateway " + GatewayVersion.current()};
    }
}
