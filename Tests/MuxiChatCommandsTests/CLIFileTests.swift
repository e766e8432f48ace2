import Testing
import TestSupport
import Foundation
import MuxiClient

/// `ask --file/--voice` and `artifacts` against a stand-in formation on loopback: bad files
/// refused with one line before anything is sent, artifacts saved inside their folder.
@Suite(.serialized) struct CLIFileTests {
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var requests: [LoopbackServer.Request] = []
        func add(_ r: LoopbackServer.Request) { lock.lock(); requests.append(r); lock.unlock() }
        var all: [LoopbackServer.Request] { lock.lock(); defer { lock.unlock() }; return requests }
    }

    static let completedWithArtifacts = #"data: {"token":{"type":"completed","content":"Here you are.","request_id":"req_1","session_id":"sess_f","artifacts":[{"type":"data","format":"csv","filename":"../../.bashrc","content":"a,b\n1,2\n","metadata":{"size_bytes":8}},{"type":"image","filename":"kept.png"}]}}"# + "\n\nevent: done\ndata: {}\n\n"

    @Test func badFilesAreOneLineAndNothingIsSent() async throws {
        let seen = Seen()
        let server = try await LoopbackServer { seen.add($0); return .json(500, "{}") }
        defer { Task { await server.stop() } }
        let env = CLI.home()
        let home = env["HOME"]!
        FileManager.default.createFile(atPath: home + "/empty.txt", contents: Data())
        for (path, words) in [(home + "/nope.txt", "no such file"), (home, "is a folder"), (home + "/empty.txt", "is empty")] {
            let r = try await CLI.runOffPool(["ask", "look", "--file", path, "--url", server.url, "--client-key", "k"], env: env)
            #expect(r.code == 2 && r.err.hasPrefix("error: validation: ") && r.err.contains(words), "\(r.code) \(r.err)")
            #expect(r.err.split(separator: "\n").count == 1, "\(r.err)")
        }
        let both = try await CLI.runOffPool(["ask", "hi", "--voice", home + "/v.wav", "--url", server.url, "--client-key", "k"], env: env)
        #expect(both.code == 2 && both.err.contains("voice note is the whole message"), "\(both.err)")
        #expect(seen.all.isEmpty)
    }

    @Test func filesGoInTheBodyAndArtifactsAreSavedSafely() async throws {
        let seen = Seen()
        let server = try await LoopbackServer { seen.add($0); return .sse(Self.completedWithArtifacts) }
        defer { Task { await server.stop() } }
        var env = CLI.home()
        let home = env["HOME"]!
        env["XDG_DATA_HOME"] = home + "/data"
        let notes = home + "/my \"notes\" é.csv"
        FileManager.default.createFile(atPath: notes, contents: Data("x,y\n3,4\n".utf8))
        let r = try await CLI.runOffPool(["ask", "chart this", "--file", notes, "--url", server.url, "--client-key", "k", "--json"], env: env)
        #expect(r.code == 0, "\(r.err)")
        let body = try JSONValue(parsing: try #require(seen.all.first).body)
        let file = try #require(body["files"]?[0])
        #expect(file["filename"]?.stringValue == "my \"notes\" é.csv" && file["content_type"]?.stringValue == "text/csv" && file["size"]?.intValue == 8)
        #expect(file["content"]?.stringValue == "x,y\n3,4\n")   // a text file goes as text (see Attachment)
        let folder = home + "/data/muxi-chat/artifacts/sess_f"
        #expect((try? FileManager.default.contentsOfDirectory(atPath: folder)) == ["bashrc"], "\(r.err) \(r.out)")
        #expect(FileManager.default.contents(atPath: folder + "/bashrc") == Data("a,b\n1,2\n".utf8))
        #expect(r.err.contains("artifact saved: \(folder)/bashrc"), "\(r.err)")
        let completed = try #require(r.out.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }.first { $0["type"]?.stringValue == "completed" })
        #expect(completed["artifacts"]?[0]?["path"]?.stringValue == folder + "/bashrc")
        #expect(completed["artifacts"]?[1]?["path"] == .null)
        // each as `artifacts list --json` shows one, plus the path
        #expect(completed["artifacts"]?[0]?.objectValue.map { Set($0.keys) } == ["id", "filename", "type", "content_type", "size", "version", "session_id", "summary", "created_at", "path"])
        // a second turn never overwrites the first's file
        _ = try await CLI.runOffPool(["ask", "again", "--url", server.url, "--client-key", "k"], env: env)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["bashrc", "bashrc-1"])
    }

    @Test func artifactCommands() async throws {
        let server = try await LoopbackServer { r in
            switch r.path {
            case "/v1/artifacts":
                return .json(200, #"{"success":true,"data":{"artifacts":[{"id":"art_1","name":"report.csv","version":2,"content_type":"text/csv","size_bytes":8,"conversation_id":"sess_a","created_at":"2026-12-01T10:00:00Z"}],"count":1,"total":1}}"#)
            case "/v1/artifacts/art_1":
                return .json(200, #"{"success":true,"data":{"id":"art_1","name":"report.csv","version":2,"content_type":"text/csv","size_bytes":8,"conversation_id":"sess_a"}}"#)
            case "/v1/artifacts/art_1/versions":
                return .json(200, #"{"success":true,"data":{"versions":[{"id":"art_1","version":1},{"id":"art_1","version":2}]}}"#)
            case "/v1/artifacts/art_1/content":
                return .init(status: 200, headers: [("Content-Type", "text/csv"), ("Content-Disposition", "inline; filename=\"report.csv\"")], body: Array("a,b\n1,2\n".utf8))
            default:
                return .json(404, #"{"success":false,"error":{"code":"NOT_FOUND","message":"Artifact 'art_x' not found"}}"#)
            }
        }
        defer { Task { await server.stop() } }
        var env = CLI.home()
        env["XDG_DATA_HOME"] = env["HOME"]! + "/data"
        let args = ["--url", server.url, "--client-key", "k", "--user", "u"]
        let list = try await CLI.runOffPool(["artifacts", "list"] + args, env: env)
        #expect(list.code == 0 && list.out.hasPrefix("ARTIFACT") && list.out.contains("report.csv") && list.out.contains("8 B"), "\(list.out)\(list.err)")
        let show = try await CLI.runOffPool(["artifacts", "show", "art_1", "--json"] + args, env: env)
        #expect(try JSONValue(parsing: show.out)["versions"] == [1, 2])
        let save = try await CLI.runOffPool(["artifacts", "save", "art_1"] + args, env: env)
        #expect(save.code == 0 && save.out == env["HOME"]! + "/data/muxi-chat/artifacts/sess_a/report.csv\n", "\(save.out)\(save.err)")
        let missing = try await CLI.runOffPool(["artifacts", "save", "art_x", "--out", env["HOME"]! + "/o"] + args, env: env)
        #expect(missing.code == 4 && missing.err.hasPrefix("error: not found"), "\(missing.err)")
        env["MUXI_CHAT_OPEN"] = "true"
        let open = try await CLI.runOffPool(["artifacts", "open", "art_1"] + args, env: env)
        #expect(open.code == 0 && open.err.contains("report-1.csv"), "\(open.err)")
    }

    @Test func noStreamWaitsForTheWholeAnswerAndKeepsItsFiles() async throws {
        let seen = Seen()
        let server = try await LoopbackServer { r in
            seen.add(r)
            return .json(200, #"{"success":true,"data":{"message":{"role":"assistant","content":"The whole answer.","artifacts":[{"type":"text","filename":"n.txt","content":"hi"}]},"session_id":null,"request_id":null}}"#)
        }
        defer { Task { await server.stop() } }
        var env = CLI.home()
        env["XDG_DATA_HOME"] = env["HOME"]! + "/data"
        let r = try await CLI.runOffPool(["ask", "hello", "--no-stream", "--url", server.url, "--client-key", "k"], env: env)
        #expect(r.code == 0 && r.out == "The whole answer.\n", "\(r.out)|\(r.err)")
        let body = try JSONValue(parsing: try #require(seen.all.first).body)
        #expect(body["stream"] == false && body["session_id"]?.stringValue?.hasPrefix("sess_") == true)
        #expect(r.err.contains("artifact saved: ") && r.err.contains("/n.txt"), "\(r.err)")
        let sessions = try await CLI.runOffPool(["sessions", "--url", server.url, "--client-key", "k", "--json"], env: env)
        #expect(sessions.out.contains(body["session_id"]?.stringValue ?? "?"), "\(sessions.out)")   // recorded under the id it sent
    }
}
