import Testing
import TestSupport
import Foundation

/// The command line against a stand-in formation on loopback (the trial's defects 9, 11, 26).
@Suite(.serialized) struct CLIOutputTests {
    static func frame(_ type: String, _ text: String) -> String {
        "data: {\"token\":{\"type\":\"\(type)\",\"content\":\"\(text)\",\"request_id\":\"req_1\",\"session_id\":\"sess_1\"}}\n\n"
    }

    @Test func aPipeGetsExactlyOneAnswerTheFinalOne() async throws {
        let server = try await LoopbackServer { request in
            .sse(Self.frame("content", "the first draft") + Self.frame("completed", "the revised answer") + "event: done\ndata: {}\n\n")
        }
        defer { Task { await server.stop() } }
        let r = try CLI.run(["ask", "hi", "--url", server.url, "--client-key", "k"], env: CLI.home())
        #expect(r.code == 0 && r.out == "the revised answer\n", "\(r.out)")
    }

    @Test func theTimeoutBoundsTheWholeCall() async throws {
        let server = try await LoopbackServer { _ in LoopbackServer.Response(status: 200, ending: .noAnswer) }
        defer { Task { await server.stop() } }
        let started = Date()
        let r = try CLI.run(["health", "--url", server.url, "--timeout", "1"], env: CLI.home())
        let elapsed = Date().timeIntervalSince(started)
        #expect(r.code == 7 && r.err.contains("within 1.0 s"), "\(r.err)")
        #expect(elapsed < 1.9, "waited \(elapsed) s for a 1 s limit")
    }

    @Test func anEmptyListPrintsItsHeader() async throws {
        let server = try await LoopbackServer { _ in
            .json(200, #"{"success":true,"data":{"jobs":[],"memories":[],"count":0}}"#)
        }
        defer { Task { await server.stop() } }
        let jobs = try CLI.run(["jobs", "--url", server.url, "--client-key", "k", "--admin-key", "a", "--user", "u"], env: CLI.home())
        #expect(jobs.code == 0 && jobs.out.hasPrefix("ID") && jobs.out.contains("TYPE") && jobs.out.contains("LAST RUN"), "\(jobs.out)|\(jobs.err)")
    }
}
