package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Keeps "ready to be depended on" true as modules come and go: every published module is in the BOM, has the
 * release metadata through the parent, and a README that names the current version.
 */
class PublishedArtifactsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static Document pom(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }

    private static List<String> texts(Document doc, String tag) {
        List<String> out = new ArrayList<>();
        NodeList list = doc.getElementsByTagName(tag);
        for (int i = 0; i < list.getLength(); i++) {
            out.add(list.item(i).getTextContent().trim());
        }
        return out;
    }

    @Test
    void everyPublishedModuleIsInTheBomAndItsReadmeNamesTheVersion() throws Exception {
        Document parent = pom(ROOT.resolve("pom.xml"));
        String version = child(parent.getDocumentElement(), "version");
        Document bom = pom(ROOT.resolve("bom/pom.xml"));
        assertThat(child(bom.getDocumentElement(), "version")).as("the BOM's version").isEqualTo(version);
        List<String> inBom = texts(bom, "artifactId");

        List<String> published = new ArrayList<>();
        for (String module : texts(parent, "module")) {
            Path dir = ROOT.resolve(module);
            Document pom = pom(dir.resolve("pom.xml"));
            String artifact = child(pom.getDocumentElement(), "artifactId");
            String packaging = child(pom.getDocumentElement(), "packaging");
            if ("pom".equals(packaging) || texts(pom, "maven.deploy.skip").contains("true")) {
                continue;
            }
            published.add(artifact);
            assertThat(inBom).as("switchboard-bom lists %s", artifact).contains(artifact);
            Path readme = dir.resolve("README.md");
            assertThat(readme).as("%s has a README", module).exists();
            assertThat(Files.readString(readme)).as("%s/README.md names version %s", module, version)
                    .contains("<artifactId>" + artifact + "</artifactId>")
                    .contains("<version>" + version + "</version>")
                    .contains("mvn -B -DskipTests install");
        }
        assertThat(published).contains("switchboard-core", "switchboard-spring-boot-starter");
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains("<version>" + version + "</version>");
    }

    @Test
    void everyRelocatedArtifactPointsAtAPublishedModuleAndStaysInTheBom() throws Exception {
        Document parent = pom(ROOT.resolve("pom.xml"));
        List<String> inBom = texts(pom(ROOT.resolve("bom/pom.xml")), "artifactId");
        List<Document> poms = new ArrayList<>();
        List<String> published = new ArrayList<>();
        for (String module : texts(parent, "module")) {
            Document pom = pom(ROOT.resolve(module).resolve("pom.xml"));
            poms.add(pom);
            if (!"pom".equals(child(pom.getDocumentElement(), "packaging"))) {
                published.add(child(pom.getDocumentElement(), "artifactId"));
            }
        }
        List<String> relocated = new ArrayList<>();
        for (Document pom : poms) {
            NodeList relocation = pom.getElementsByTagName("relocation");
            if (relocation.getLength() == 0) {
                continue;
            }
            String artifact = child(pom.getDocumentElement(), "artifactId");
            relocated.add(artifact);
            assertThat(child(pom.getDocumentElement(), "packaging")).as("%s is a POM only", artifact).isEqualTo("pom");
            Element to = (Element) relocation.item(0);
            assertThat(child(to, "groupId")).as("%s stays in the group", artifact).isNull();
            assertThat(published).as("%s relocates to a jar this build publishes", artifact)
                    .contains(child(to, "artifactId"));
            assertThat(inBom).as("the BOM manages both %s and %s", artifact, child(to, "artifactId"))
                    .contains(artifact, child(to, "artifactId"));
        }
        assertThat(relocated).contains("switchboard-backplane-postgres", "switchboard-backplane-mongo");
    }

    @Test
    void theParentCarriesTheReleaseMetadata() throws Exception {
        Document parent = pom(ROOT.resolve("pom.xml"));
        assertThat(texts(parent, "license")).hasSize(1);
        assertThat(texts(parent, "developer")).isNotEmpty();
        assertThat(texts(parent, "scm")).hasSize(1);
        assertThat(texts(parent, "id")).contains("release");
        assertThat(texts(parent, "artifactId")).contains("maven-gpg-plugin", "maven-source-plugin", "maven-javadoc-plugin");
        assertThat(ROOT.resolve("LICENSE")).exists();
        assertThat(ROOT.resolve("CHANGELOG.md")).exists();
    }

    @Test
    void theJavaClientDependsOnTheProtocolNotOnTheServer() throws Exception {
        Document client = pom(ROOT.resolve("client/pom.xml"));
        NodeList deps = client.getElementsByTagName("dependency");
        List<String> compile = new ArrayList<>();
        for (int i = 0; i < deps.getLength(); i++) {
            Element dep = (Element) deps.item(i);
            String scope = child(dep, "scope");
            if (scope == null || scope.equals("compile") || scope.equals("runtime")) {
                compile.add(child(dep, "artifactId"));
            }
        }
        assertThat(compile).contains("switchboard-protocol").doesNotContain("switchboard-core");
    }
}
