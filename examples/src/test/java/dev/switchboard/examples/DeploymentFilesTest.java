package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container and Kubernetes files: {@code deploy/check/check.mjs} validates {@code deploy/kubernetes} against
 * the Kubernetes API schemas (and unknown fields, and the references between objects) and lints the
 * {@code Dockerfile}. It passes on the real files and catches what a broken copy gets wrong.
 */
class DeploymentFilesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path CHECK = ROOT.resolve("deploy/check");

    @TempDir
    Path broken;
    private String node;

    @BeforeEach
    void requireTheValidator() {
        node = NodeJs.find();
        assumeTrue(node != null, "Node.js is not installed: skipping the deployment files' validation");
        assumeTrue(Files.isDirectory(CHECK.resolve("node_modules/kubernetes-models")),
                "deploy/check has no node_modules: run `npm ci --prefix deploy/check` (.ci/run does)");
    }

    private record Run(int exit, String output) { }

    private Run check(String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(broken, "check", ".log");
        List<String> command = new java.util.ArrayList<>(List.of(node, CHECK.resolve("check.mjs").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("check.mjs finished in time:%n%s", output).isTrue();
        return new Run(p.exitValue(), output);
    }

    @Test
    void theManifestsAndTheDockerfilePass() throws Exception {
        Run run = check();
        assertThat(run.exit()).as(run.output()).isZero();
        // Seven Kubernetes objects, the kustomization and the Dockerfile.
        assertThat(run.output()).contains("9 passed, 0 failed").doesNotContain("FAIL");
    }

    @Test
    void aBrokenCopyIsCaught() throws Exception {
        Path kube = broken.resolve("kubernetes");
        Files.createDirectories(kube);
        try (Stream<Path> files = Files.list(ROOT.resolve("deploy/kubernetes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, kube.resolve(f.getFileName()));
            }
        }
        edit(kube.resolve("deployment.yaml"), "imagePullPolicy", "imagePullPolcy");
        edit(kube.resolve("deployment.yaml"), "path: /health\n              port: http", "path: /health\n              port: web");
        edit(kube.resolve("deployment.yaml"), "terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 12");
        edit(kube.resolve("hpa.yaml"), "minReplicas: 2", "minReplicas: \"two\"");
        edit(kube.resolve("service.yaml"), "targetPort: http", "targetPort: htp");
        Files.delete(kube.resolve("pdb.yaml"));
        Path dockerfile = broken.resolve("Dockerfile");
        Files.writeString(dockerfile, Files.readString(ROOT.resolve("Dockerfile")).replace("USER 10001:10001", "USER root"));

        Run run = check(kube.toString(), dockerfile.toString());
        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output())
                .contains("unknown field spec.template.spec.containers[0].imagePullPolcy")
                .contains("readinessProbe uses port web, not declared")
                .contains("terminationGracePeriodSeconds 12 < preStop 5 s + drain 10 s + 5 s")
                .contains("spec/minReplicas must be integer")
                .contains("port http targets htp, which no pod has")
                .contains("resource pdb.yaml does not exist")
                .contains("the final stage must run as a non-root USER")
                .contains("3 passed, 5 failed");
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }
}
