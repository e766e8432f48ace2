import Testing
import Foundation
import TestSupport
@testable import MuxiClient
import MuxiClientTesting

/// Files in: attachments checked before anything is sent, and written into the body as the
/// runtime reads them (protocol §5.1).
@Suite struct AttachmentTests {
    static func folder() -> String {
        let path = NSTemporaryDirectory() + "muxi-attach-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func badFilesAreRefusedWithTheirNameBeforeAnythingIsSent() throws {
        let dir = Self.folder()
        FileManager.default.createFile(atPath: dir + "/empty.txt", contents: Data())
        FileManager.default.createFile(atPath: dir + "/big.bin", contents: Data(count: 2048))
        func refusal(_ path: String, limit: Int = Attachment.runtimeLimit) -> String? {
            do { _ = try Attachment(path: path, limit: limit); return nil } catch { return error.kind == .validation ? error.message : "kind \(error.kind)" }
        }
        #expect(refusal(dir + "/missing.txt") == "\(dir)/missing.txt: no such file")
        #expect(refusal(dir) == "\(dir) is a folder, not a file")
        #expect(refusal(dir + "/empty.txt") == "\(dir)/empty.txt is empty")
        #expect(refusal(dir + "/big.bin", limit: 1000) == "\(dir)/big.bin is 2.0 KB, over the limit of 1.0 KB")
        #expect(refusal(dir + "/big.bin") == nil)
    }

    @Test func oddNamesAreReadAndSentAsTheyAre() throws {
        let dir = Self.folder()
        for name in ["my notes.txt", "it's \"quoted\".md", "naïve 日本.csv"] {
            FileManager.default.createFile(atPath: dir + "/" + name, contents: Data("a,b\n1,2\n".utf8))
            let file = try Attachment(path: dir + "/" + name)
            #expect(file.filename == name && file.data.count == 8)
        }
    }

    @Test func theContentTypeComesFromTheBytesThenTheName() {
        #expect(Attachment.contentType(filename: "a.txt", bytes: Data([0x89, 0x50, 0x4E, 0x47, 0x0D])) == "image/png")
        #expect(Attachment.contentType(filename: "x", bytes: Data("%PDF-1.7".utf8)) == "application/pdf")
        #expect(Attachment.contentType(filename: "v.bin", bytes: Data("RIFF\0\0\0\0WAVEfmt ".utf8)) == "audio/wav")
        #expect(Attachment.contentType(filename: "r.docx", bytes: Data([0x50, 0x4B, 0x03, 0x04])).hasSuffix("wordprocessingml.document"))
        #expect(Attachment.contentType(filename: "data.CSV", bytes: Data("a,b".utf8)) == "text/csv")
        #expect(Attachment.contentType(filename: "noext", bytes: Data("hello".utf8)) == "application/octet-stream")
    }

    @Test func base64IsWrittenStraightIntoTheBodyAsFoundationWritesIt() {
        for count in [0, 1, 2, 3, 4, 5, 255, 1000, 4099] {
            let data = Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            var out: [UInt8] = []
            Base64.append(data, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == data.base64EncodedString())
        }
    }

    @Test func aTurnWithFilesSendsThemInTheBody() async throws {
        let t = ScriptedTransport()
        t.on("POST", "/v1/chat", .json(200, envelope(#"{"message":{"role":"assistant","content":"ok","artifacts":null},"session_id":"s"}"#)))
        let png = Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3])
        let files = [Attachment(filename: "a \"b\".png", data: png), Attachment(filename: "n.txt", data: Data("hé".utf8))]
        _ = try await makeClient(t).chat(ChatRequest("look", files: files))
        let body = try #require(t.requests.first?.bodyJSON)
        #expect(body.string("message") == "look" && body.bool("stream") == false)
        let sent = try #require(body["files"]?.arrayValue)
        #expect(sent.count == 2)
        #expect(sent[0].string("filename") == "a \"b\".png" && sent[0].string("content_type") == "image/png")
        #expect(sent[0].int("size") == 7 && sent[0].string("content") == png.base64EncodedString())
        // text goes as text: the runtime reads a document's content as it is (it decodes
        // base64 only for audio), so base64 would reach the model as base64
        #expect(sent[1].string("content_type") == "text/plain" && sent[1].string("content") == "hé")
        let latin1 = Attachment(filename: "l.txt", data: Data([0x63, 0x61, 0x66, 0xE9]))   // not UTF-8: base64
        #expect(!latin1.isText && Attachment(filename: "d.json", data: Data("{}".utf8)).isText)
    }

    @Test func audioChatStreamSendsTheFilesAndRefusesOthersAtOnce() async throws {
        let t = ScriptedTransport()
        // the runtime gives an audio turn its own request id: a stream with no answer is
        // recovered by the id its events carry
        let delta = ChatToken(kind: .content, text: "Heard", requestID: "req_rt", sessionID: "sess_v").sseFrame
        t.on("POST", "/v1/audiochat", .sse([delta, "event: done\ndata: {}\n\n"]))
        t.on("GET", "/v1/requests/req_rt", .json(200, envelope(#"{"request_id":"req_rt","status":"completed","result":"Heard you."}"#)))
        let client = try makeClient(t)
        #expect(throws: MuxiError.self) { _ = try client.audioChatStream([Attachment(filename: "a.txt", data: Data("x".utf8))]) }
        #expect(t.requests.isEmpty)
        let stream = try client.audioChatStream([Attachment(filename: "q.wav", data: Data("RIFF\0\0\0\0WAVE".utf8))], sessionID: "sess_v")
        var answer = ""
        for try await event in stream { if case .completed(let c) = event { answer = c.text } }
        #expect(answer == "Heard you.")
        let body = try #require(t.requests.first?.bodyJSON)
        #expect(body.string("session_id") == "sess_v" && body.bool("stream") == true)
        #expect(body["files"]?.arrayValue?.first?.string("content_type") == "audio/wav")
    }
}

/// Files out: artifacts read in both of the runtime's shapes, saved only inside the folder,
/// under a cleaned name, never over a file (protocol §5.2, §6.12).
@Suite struct ArtifactTests {
    @Test func bothShapesAreRead() throws {
        let inline = try Artifact(json: try JSONValue(parsing: Array(#"{"type":"data","format":"csv","filename":"t.csv","content":"a,b\n","metadata":{"size_bytes":4,"created_at":"2026-12-01T10:00:00Z"}}"#.utf8)))
        #expect(inline.filename == "t.csv" && inline.sizeBytes == 4 && inline.inlineBytes == Data("a,b\n".utf8) && inline.id == nil)
        let stored = try Artifact(json: try JSONValue(parsing: Array(#"{"id":"art_1","name":"r.png","version":2,"content_type":"image/png","category":"image","size_bytes":10,"conversation_id":"sess_1"}"#.utf8)))
        #expect(stored.id == "art_1" && stored.filename == "r.png" && stored.version == 2 && stored.type == "image")
        #expect(stored.sessionID == "sess_1" && stored.inlineBytes == nil)
        let url = try Artifact(json: ["type": "image", "data_url": "data:image/png;base64,iVBORw0KGgo="])
        #expect(url.inlineBytes == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    @Test func hostileNamesAreCleaned() {
        #expect(ArtifactFiles.safeName("../../.bashrc") == "bashrc")
        #expect(ArtifactFiles.safeName("/etc/passwd") == "passwd")
        #expect(ArtifactFiles.safeName("a\u{1B}[31mred\u{07}.txt") == "a[31mred.txt")
        #expect(ArtifactFiles.safeName("C:\\x\\y.txt") == "y.txt")
        #expect(ArtifactFiles.safeName("...") == "artifact")
        #expect(ArtifactFiles.safeName("", fallbackExtension: "csv") == "artifact.csv")
        let long = ArtifactFiles.safeName(String(repeating: "x", count: 300) + ".json")
        #expect(long.count == 120 && long.hasSuffix(".json"))
        #expect(ArtifactFiles.safeName("rapport été.pdf") == "rapport été.pdf")
    }

    @Test func savingNeverOverwritesAndStaysInTheFolder() throws {
        let dir = NSTemporaryDirectory() + "muxi-art-\(UUID().uuidString)"
        let a = try Artifact(json: ["type": "text", "filename": "../notes.txt", "content": "one"])
        let paths = try (0..<3).map { _ in try a.save(in: dir) }
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["notes.txt", "notes-1.txt", "notes-2.txt"])
        #expect(paths.allSatisfy { ($0 as NSString).deletingLastPathComponent == dir })
        #expect(try String(contentsOfFile: paths[2], encoding: .utf8) == "one")
        #expect(throws: MuxiError.self) { try Artifact(json: ["type": "image", "id": "art_9"]).save(in: dir) }
    }

    @Test func theContentIsStreamedToDiskUnderTheServersName() async throws {
        let t = ScriptedTransport()
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0) }
        t.on("GET", "/v1/artifacts/art_1/content",
             .response(status: 200, headers: [HTTPHeader("Content-Type", "application/octet-stream"),
                                              HTTPHeader("Content-Disposition", #"inline; filename="_.bin"; filename*=UTF-8''..%2F%C3%A9t%C3%A9.bin"#)],
                       chunks: stride(from: 0, to: bytes.count, by: 65536).map { Array(bytes[$0..<min($0 + 65536, bytes.count)]) }, pause: nil))
        t.on("GET", "/v1/artifacts/art_x/content", .json(404, #"{"success":false,"error":{"code":"NOT_FOUND","message":"Artifact 'art_x' not found"}}"#))
        let dir = NSTemporaryDirectory() + "muxi-art-\(UUID().uuidString)"
        let path = try await makeClient(t).saveArtifact("art_1", in: dir)
        #expect((path as NSString).lastPathComponent == "été.bin")
        #expect(FileManager.default.contents(atPath: path) == Data(bytes))
        let e = await #expect(throws: MuxiError.self) { try await makeClient(t).saveArtifact("art_x", in: dir) }
        #expect(e?.kind == .notFound)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["été.bin"])
    }

    @Test func theListAndVersionsAreRead() async throws {
        let t = ScriptedTransport()
        t.on("GET", "/v1/artifacts", .json(200, envelope(#"{"artifacts":[{"id":"art_1","name":"a.csv","version":1}],"count":1,"total":7}"#)))
        t.on("GET", "/v1/artifacts/art_1/versions", .json(200, envelope(#"{"versions":[{"id":"art_0","version":1},{"id":"art_1","version":2}]}"#)))
        let client = try makeClient(t)
        let page = try await client.artifacts(limit: 500)
        #expect(page.total == 7 && page.artifacts.map(\.filename) == ["a.csv"])
        #expect(t.requests.first?.url == "http://formation.test/v1/artifacts?limit=100")
        #expect(try await client.artifactVersions("art_1").map(\.version) == [1, 2])
    }
}
