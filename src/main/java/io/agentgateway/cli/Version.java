package io.agentgateway.cli;

import picocli.CommandLine;

/** The version from the jar manifest (the Maven project version), or "dev" when run from classes. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[]{"agentgateway " + (v == null ? "dev" : v)};
    }
}
