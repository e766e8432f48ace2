import Testing
import TestSupport
import Foundation
import MuxiClient

extension LiveRuntime {
/// Files in and out on the real runtime: an attached CSV reaches the model through the
/// runtime's document phase, an image through its vision call, and an artifact made by the
/// runtime's own generate_file tool (driven by the stand-in's plan on a cue) comes back on
/// `completed`, is kept by the artifact memory, and is saved with the same bytes.
@Suite(.enabled(if: Live.enabled && Live.env["MUXI_TEST_LLM_LOG"] != nil,
                "set MUXI_TEST_URL and MUXI_TEST_LLM_LOG (make test does)"), .serialized)
struct FilesLiveTests {
    /// The requests the stand-in LLM received since `offset` (bytes of its log).
    static func llmRequests(after offset: Int) -> String {
        let data = FileManager.default.contents(atPath: Live.env["MUXI_TEST_LLM_LOG"] ?? "") ?? Data()
        return String(decoding: data.dropFirst(offset), as: UTF8.self)
    }

    static var logSize: Int { FileManager.default.contents(atPath: Live.env["MUXI_TEST_LLM_LOG"] ?? "")?.count ?? 0 }

    @Test func anAttachedCSVReachesTheModelAsItsText() async throws {
        let client = try Live.client()
        let tag = UUID().uuidString.prefix(6).lowercased()
        let marker = "pelican\(tag)"   // in the file only, never in the question
        let csv = Attachment(filename: "birds.csv", data: Data("bird,count\n\(marker),3\nheron,5\n".utf8))
        #expect(csv.contentType == "text/csv" && csv.isText)
        let offset = Self.logSize
        let reply = try await client.chat(ChatRequest("What is in the attached file? (\(tag))", files: [csv]))
        #expect(!reply.text.isEmpty)
        let seen = Self.llmRequests(after: offset)
        // the document phase converted the CSV (a markdown table) and put it in the agent's
        // prompt; sent as base64 (as the official SDKs send it), the model would see base64
        #expect(seen.contains(marker) && seen.contains("heron"), "the stand-in never saw the file's text")
        #expect(!seen.contains("Document processing is not currently enabled"))
    }

    @Test func anAttachedImageGoesThroughTheVisionCall() async throws {
        let client = try Live.client()
        // a 1x1 PNG, with bytes of this run after its end: the same image sent a second time was
        // seen not to reach the model again (the runtime's LLM layer answers it from a cache)
        var png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")!
        png.append(Data(UUID().uuidString.utf8))
        let offset = Self.logSize
        let reply = try await client.chat(ChatRequest("Describe the picture (\(UUID().uuidString.prefix(6)))",
                                                      files: [Attachment(filename: "dot.png", data: png)]))
        #expect(!reply.text.isEmpty)
        let seen = Self.llmRequests(after: offset)
        #expect(seen.contains("data:image/png;base64," + png.base64EncodedString()), "no vision request carried the image")
    }

    @Test func anArtifactTheRuntimeMadeIsDeliveredKeptAndSaved() async throws {
        let client = try Live.client()
        var artifacts: [Artifact] = []
        var progress: [String] = []
        for try await event in client.chatStream(ChatRequest("Please make a report file (\(UUID().uuidString.prefix(6)))")) {
            if case .completed(let c) = event { artifacts = c.artifacts }
            if case .progress(let t) = event { progress.append(t.text) }
        }
        let made = try #require(artifacts.first, "completed carried no artifact (progress: \(progress))")
        #expect(made.filename == "report.txt")
        #expect(made.inlineBytes == Data("hello artifact from the stand-in\n".utf8))
        let folder = NSTemporaryDirectory() + "muxi-live-art-\(UUID().uuidString)"
        let inline = try made.save(in: folder)
        #expect(FileManager.default.contents(atPath: inline) == Data("hello artifact from the stand-in\n".utf8))
        // the artifact memory keeps it in the background, after the answer
        var stored: Artifact?
        #expect(try await Live.eventually(within: .seconds(20)) {
            stored = try await client.artifacts().artifacts.first { $0.filename == "report.txt" }
            return stored != nil
        }, "GET /artifacts never listed it")
        let id = try #require(stored?.id)
        #expect(try await client.artifact(id).filename == "report.txt")
        #expect(try await client.artifactVersions(id).count >= 1)
        let saved = try await client.saveArtifact(id, in: folder)
        #expect(saved != inline && FileManager.default.contents(atPath: saved) == Data("hello artifact from the stand-in\n".utf8))
        let missing = await #expect(throws: MuxiError.self) { try await client.artifact("art_does_not_exist") }
        #expect(missing?.kind == .notFound)
    }

    @Test func theCommandLineAttachesAndSavesOnTheRealRuntime() async throws {
        var env = CLI.home()
        env["MUXI_URL"] = Live.url
        env["MUXI_CLIENT_KEY"] = Live.env["MUXI_TEST_CLIENT_KEY"]
        env["MUXI_USER_ID"] = "it-cli-\(UUID().uuidString.prefix(8).lowercased())"
        env["XDG_DATA_HOME"] = env["HOME"]! + "/data"
        let notes = env["HOME"]! + "/my notes é.txt"
        FileManager.default.createFile(atPath: notes, contents: Data("kingfisher notes\n".utf8))
        let offset = Self.logSize
        let ask = try await CLI.runOffPool(["ask", "summarise the notes", "--file", notes], env: env)
        #expect(ask.code == 0 && !ask.out.isEmpty, "\(ask.err)")
        #expect(Self.llmRequests(after: offset).contains("kingfisher notes"))
        let made = try await CLI.runOffPool(["ask", "please make a report file", "--json"], env: env)
        #expect(made.code == 0 && made.err.contains("artifact saved: "), "\(made.err)")
        let path = String(made.err.split(separator: "\n").first { $0.hasPrefix("artifact saved: ") }?.dropFirst("artifact saved: ".count) ?? "")
        #expect(FileManager.default.contents(atPath: path) == Data("hello artifact from the stand-in\n".utf8))
        #expect(try await Live.eventually(within: .seconds(20)) {
            try await CLI.runOffPool(["artifacts", "list"], env: env).out.contains("report.txt")
        })
        let missing = try await CLI.runOffPool(["artifacts", "show", "art_nope"], env: env)
        #expect(missing.code == 4, "\(missing.err)")
    }
}
}
