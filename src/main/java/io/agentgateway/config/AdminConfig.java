package io.agentgateway.config;

/**
 * The admin port: health, readiness, metrics, the admin API and the console. It binds the
 * loopback address unless told otherwise; bound anywhere else, {@code /api/*} (and so the
 * console's data) needs a credential from {@code authentication}.
 */
public record AdminConfig(String address, Integer port, AdminAuthenticationConfig authentication) {
    public static final AdminConfig DEFAULT = new AdminConfig(null, null, null);

    public AdminConfig {
        address = address == null ? "127.0.0.1" : address;
        port = port == null ? 15000 : port;
    }

    /** True for an address only this host can reach (127.0.0.0/8, ::1, localhost). */
    public boolean loopback() {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        return a.startsWith("127.") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1") || a.equalsIgnoreCase("localhost");
    }
}
