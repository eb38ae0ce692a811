package io.agentgateway.policy;

import java.util.List;

/** A compiled {@code resources} list: a resource matches when any of its globs does. Immutable. */
public final class ResourceMatcher {
    private final List<Glob> globs;

    public ResourceMatcher(List<String> patterns) {
        this.globs = patterns.stream().map(Glob::of).toList();
    }

    public boolean matches(Resource resource) {
        String id = resource.id();
        for (Glob g : globs) {
            if (g.matches(id)) {
                return true;
            }
        }
        return false;
    }
}
