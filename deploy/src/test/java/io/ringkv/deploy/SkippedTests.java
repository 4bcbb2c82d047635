package io.ringkv.deploy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Prints, at the end of {@code mvn verify}, every test of every module that was skipped and why.
 * Surefire's console summary counts skipped tests but does not say why; a test that aborted because
 * this machine lacks root, iptables or Chromium must say so where the person running the suite looks,
 * not only in a report file. Reads the Surefire and Failsafe XML reports under each module's target
 * that this build wrote (it runs inside Maven's JVM: reports older than that JVM are an earlier
 * build's). It runs only when the build got that far: a failing module stops the build first, and
 * its failures are printed anyway.
 */
public final class SkippedTests {

    private SkippedTests() {
    }

    /** @param args the root of the multi-module build */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "..");
        long buildStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        List<Path> reports = new ArrayList<>();
        for (Path report : reports(root)) {
            if (Files.getLastModifiedTime(report).toMillis() >= buildStart) {
                reports.add(report);
            }
        }
        if (reports.isEmpty()) {
            System.out.println("[skipped tests] no test report from this build: no test ran");
            return;
        }
        List<String> skipped = new ArrayList<>();
        for (Path report : reports) {
            skipped.addAll(skippedIn(report));
        }
        if (skipped.isEmpty()) {
            System.out.println("[skipped tests] none of the tests in " + reports.size() + " reports was skipped");
            return;
        }
        System.out.println("[skipped tests] " + skipped.size() + " skipped, and why:");
        skipped.forEach(s -> System.out.println("[skipped tests]   " + s));
    }

    private static List<Path> reports(Path root) throws IOException {
        List<Path> reports = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                for (String dir : List.of("surefire-reports", "failsafe-reports")) {
                    Path reportDir = module.resolve("target").resolve(dir);
                    if (Files.isDirectory(reportDir)) {
                        try (Stream<Path> files = Files.list(reportDir)) {
                            files.filter(f -> f.getFileName().toString().startsWith("TEST-")
                                    && f.getFileName().toString().endsWith(".xml")).sorted().forEach(reports::add);
                        }
                    }
                }
            }
        }
        return reports;
    }

    private static List<String> skippedIn(Path report) throws IOException {
        Document doc;
        try {
            doc = parser().parse(report.toFile());
        } catch (SAXException e) {
            return List.of(report + ": unreadable report (" + e.getMessage() + ")");
        }
        List<String> skipped = new ArrayList<>();
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testcase = (Element) cases.item(i);
            NodeList marks = testcase.getElementsByTagName("skipped");
            if (marks.getLength() > 0) {
                String reason = ((Element) marks.item(0)).getAttribute("message");
                skipped.add(testcase.getAttribute("classname") + "." + testcase.getAttribute("name") + ": "
                        + (reason.isBlank() ? "(no reason given)" : reason));
            }
        }
        return skipped;
    }

    private static DocumentBuilder parser() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // Reports are our own files, but a parser that fetches nothing is the only kind worth having.
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return f.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}
