package dev.switchboard.transport.jetty.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.server.AliasCheck;
import org.eclipse.jetty.util.resource.Resource;

/**
 * Decides which aliased static files may be served: a resource whose real path (every symlink followed)
 * lies inside one of the static roots. Jetty's default ({@code SymlinkAllowedResourceAliasChecker})
 * follows a symlink wherever it points, so a link inside the root to {@code /etc/passwd} served that
 * file; this check replaces it. Links that stay inside a root still work; a link that cannot be
 * resolved, or a resource that is not a file on the default file system, is refused (404).
 * Thread-safe: the roots are fixed at construction.
 */
final class StaticRootAliasCheck implements AliasCheck {
    private final List<Path> realRoots;

    /** @param realRoots the static root directories, already resolved with {@link Path#toRealPath} */
    StaticRootAliasCheck(List<Path> realRoots) {
        this.realRoots = List.copyOf(realRoots);
    }

    @Override
    public boolean checkAlias(String pathInContext, Resource resource) {
        Path path = resource.getPath();
        if (path == null || path.getFileSystem() != FileSystems.getDefault()) {
            return false;
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException | SecurityException e) {
            return false;
        }
        for (Path root : realRoots) {
            if (real.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "StaticRootAliasCheck" + realRoots;
    }
}
