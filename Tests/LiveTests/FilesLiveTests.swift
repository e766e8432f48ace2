import Testing
import TestSupport
import Foundation
import MuxiClient
import Crypto

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

    /// The runtime (1.20260928.0) runs generate_file's code with a blocking `subprocess.run`
    /// inside its event loop (`artifact_service.py:422`): while a file is made it sends
    /// nothing, and the step's progress (plan_step, artifact_generating, artifact_created)
    /// arrives in one burst afterwards. Measured here with code that counts for a few seconds:
    /// a silence of over a second in the turn, and "Creating report.txt..." and "Created
    /// report.txt" a few milliseconds apart. (The
    /// recovery from such a silence, when it outlasts the idle limit, is FaultTests'
    /// aStreamThatGoesSilentMidTurnIsRecovered: leaving the real runtime mid-turn may get the
    /// turn cancelled, which is why the idle limit is 90 s.)
    @Test func makingAFileSilencesTheRuntimeUntilItIsMade() async throws {
        let client = try Live.client()
        var arrivals: [(stage: String, at: ContinuousClock.Instant)] = []
        var artifacts: [Artifact] = []
        for try await event in client.chatStream(ChatRequest("Please make a report file slowly (\(UUID().uuidString.prefix(6)))")) {
            if case .progress(let p) = event { arrivals.append((p.stage ?? "", .now)) }
            if case .completed(let c) = event { artifacts = c.artifacts }
        }
        #expect(artifacts.map(\.filename) == ["report.txt"])
        func at(_ stage: String) -> ContinuousClock.Instant? { arrivals.first { $0.stage == stage }?.at }
        let generating = try #require(at("artifact_generating"), "\(arrivals.map(\.stage))")
        let created = try #require(at("artifact_created"))
        let gaps = zip(arrivals.dropFirst(), arrivals).map { $0.at - $1.at }
        #expect(gaps.max() ?? .zero > .seconds(1), "no silence while the code ran: \(gaps)")
        // made live, the two would be the code's running time apart (seconds)
        #expect(created - generating < .milliseconds(300), "the progress came as it happened: not the defect described")
    }

    /// A WAV of half a second of tone, with a comment chunk holding "SAY:" and `words` (the
    /// stand-in "transcribes" a file as its size and digest, plus the words after the marker).
    static func voiceNote(saying words: String) -> Data {
        func le32(_ v: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(v).littleEndian, Array.init) }
        let samples = (0..<4000).flatMap { i in withUnsafeBytes(of: Int16(3000 * sin(Double(i) / 5)).littleEndian, Array.init) }
        let comment = Array("SAY:\(words)".utf8) + [0]
        let info = Array("INFO".utf8) + Array("ICMT".utf8) + le32(comment.count) + comment
        let fmt = Array("fmt ".utf8) + le32(16) + [1, 0, 1, 0] + le32(8000) + le32(16000) + [2, 0, 16, 0]
        let chunks = fmt + Array("data".utf8) + le32(samples.count) + samples + Array("LIST".utf8) + le32(info.count) + info
        return Data(Array("RIFF".utf8) + le32(4 + chunks.count) + Array("WAVE".utf8) + chunks)
    }

    static func digest(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined().prefix(16).description
    }

    /// A voice note through the runtime's real transcription path: `/audiochat` decodes the
    /// base64, hands the bytes to its Whisper-style call (the stand-in's), and the transcript
    /// is the turn's message. The digest in the answer proves the exact bytes arrived; the
    /// library streams it, the command line both streams it and asks without streaming.
    @Test func aVoiceNoteIsTranscribedByTheRuntime() async throws {
        let words = "weather in Lisbon \(UUID().uuidString.prefix(6))"
        let note = Self.voiceNote(saying: words)
        let digest = Self.digest(note)
        let client = try Live.client()
        let offset = Self.logSize
        var answer = ""
        for try await event in try client.audioChatStream([Attachment(filename: "note.wav", data: note)]) {
            if case .completed(let c) = event { answer = c.text }
        }
        #expect(answer.contains("sha256 \(digest)") && answer.contains(words), "\(answer)")
        let seen = Self.llmRequests(after: offset)
        #expect(seen.contains(#""path": "/v1/audio/transcriptions""#) && seen.contains(#""model": "whisper-1""#))
        #expect(seen.contains(#""size": \#(note.count)"#))

        let env = CLIIntegrationTests.env(user: "it-voice-\(UUID().uuidString.prefix(8).lowercased())")
        let path = env["HOME"]! + "/voice note é.wav"
        let other = Self.voiceNote(saying: "and tomorrow \(UUID().uuidString.prefix(6))")
        FileManager.default.createFile(atPath: path, contents: other)
        for extra in [[], ["--no-stream"]] {
            let r = try await CLI.runOffPool(["ask", "--voice", path] + extra, env: env)
            #expect(r.code == 0 && r.out.contains("sha256 \(Self.digest(other))") && r.out.contains("voice note é.wav"), "\(extra) \(r.out) \(r.err)")
        }
        let notAudio = env["HOME"]! + "/notes.txt"
        FileManager.default.createFile(atPath: notAudio, contents: Data("not audio".utf8))
        let refused = try await CLI.runOffPool(["ask", "--voice", notAudio], env: env)
        #expect(refused.code == 2 && refused.err.contains("audio"), "\(refused.err)")
    }

    @Test func theCommandLineAttachesAndSavesOnTheRealRuntime() async throws {
        var env = CLIIntegrationTests.env(user: "it-cli-\(UUID().uuidString.prefix(8).lowercased())")
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
