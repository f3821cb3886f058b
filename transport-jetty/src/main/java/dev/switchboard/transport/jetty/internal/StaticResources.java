package dev.switchboard.transport.jetty.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.util.resource.CombinedResource;
import org.eclipse.jetty.util.resource.Resource;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * Resolves the static-file roots, in lookup order: the configured directory, the configured classpath
 * folder, then the files this module ships (the JS client at {@code /switchboard.js}). The first root
 * holding a path wins, so an application can override the bundled client.
 */
final class StaticResources {
    /** Where the build copies {@code client-js/switchboard.js} (and its {@code .d.ts}) inside this jar. */
    static final String BUNDLED = "dev/switchboard/transport/jetty/static";

    private StaticResources() {
    }

    /**
     * @param factory a factory bound to the context's lifecycle (it unmounts jars on stop)
     * @param root a directory, or {@code null}
     * @param classpathBase a classpath folder, or {@code null}
     * @return the combined roots, or {@code null} when there is nothing to serve
     * @throws IllegalArgumentException when a configured root does not exist
     */
    static Resource resolve(ResourceFactory factory, Path root, String classpathBase) {
        List<Resource> roots = new ArrayList<>();
        if (root != null) {
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException("staticRoot is not a directory: " + root.toAbsolutePath());
            }
            roots.add(factory.newResource(realPath(root)));
        }
        if (classpathBase != null) {
            Resource r = classpath(factory, classpathBase);
            if (r == null) {
                throw new IllegalArgumentException("staticClasspathBase not found on the classpath: " + classpathBase);
            }
            roots.add(r);
        }
        Resource bundled = classpath(factory, BUNDLED);
        if (bundled != null) {
            roots.add(bundled);
        }
        return roots.isEmpty() ? null : ResourceFactory.combine(roots);
    }

    /**
     * @param roots the resolved roots
     * @return the alias check that serves only what lies inside them (symlinks never lead out)
     */
    static StaticRootAliasCheck aliasCheck(Resource roots) {
        List<Path> dirs = new ArrayList<>();
        List<Resource> each = roots instanceof CombinedResource combined ? combined.getResources() : List.of(roots);
        for (Resource r : each) {
            Path p = r.getPath();
            if (p != null && p.getFileSystem() == FileSystems.getDefault() && r.isDirectory()) {
                dirs.add(realPath(p));
            }
        }
        return new StaticRootAliasCheck(dirs);
    }

    /** A root named through a symlink is served from where it really is, so its files are not aliases. */
    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot resolve static root " + dir.toAbsolutePath() + ": " + e, e);
        }
    }

    private static Resource classpath(ResourceFactory factory, String base) {
        String name = base.startsWith("/") ? base.substring(1) : base;
        Resource r = factory.newClassLoaderResource(name);
        if (r == null || !r.exists() || !r.isDirectory()) {
            return null;
        }
        Path p = r.getPath();
        // An exploded classpath folder reached through a symlink: use its real path (see realPath).
        return p != null && p.getFileSystem() == FileSystems.getDefault() ? factory.newResource(realPath(p)) : r;
    }
}
