import Testing
import Foundation
@testable import ChatApp
import MuxiClient
import MuxiClientTesting
import TerminalUI
import TerminalTesting
import TestSupport
import LocalStore

/// Files in and out of the app: `/attach`, the chips, what goes with a message, what comes
/// back under an answer; never losing the message or its files.
@Suite struct AttachmentStateTests {
    static let file = AttachedFile(path: "/tmp/a b.csv", name: "a b.csv", size: 812, contentType: "text/csv")

    static func typed(_ text: String, into state: inout AppState) {
        for c in text { _ = state.apply(.key(.character(c))) }
    }

    @Test func attachTakesAPathAsTypedQuotedOrEscaped() {
        for typed in ["/attach a b.csv", "/attach 'a b.csv'", "/attach \"a b.csv\"", "/attach a\\ b.csv"] {
            var state = AppState(formation: "f", user: "u")
            Self.typed(typed, into: &state)
            #expect(state.apply(.key(.enter)) == [.saveHistory(typed), .inspectAttachment(path: "a b.csv")], "\(typed)")
        }
        var state = AppState(formation: "f", user: "u")
        Self.typed("/attach  ", into: &state)
        #expect(state.apply(.key(.enter)) == [])
        #expect(state.composer.string == "/attach  " && state.notice?.text.contains("/attach PATH") == true)
    }

    @Test func aChipGoesWithTheMessageAndBackspaceInAnEmptyBoxRemovesIt() {
        var state = AppState(formation: "f", user: "u")
        _ = state.apply(.attached(Self.file))
        _ = state.apply(.attached(Self.file))   // the same file once
        #expect(state.composer.attachments == [Self.file])
        Self.typed("x", into: &state)
        _ = state.apply(.key(.backspace))        // edits the text, keeps the file
        #expect(state.composer.attachments == [Self.file] && state.composer.isEmpty)
        _ = state.apply(.key(.backspace))
        #expect(state.composer.attachments.isEmpty && state.notice?.text.hasPrefix("removed a b.csv") == true)
    }

    @Test func sendingCarriesTheFilesAndAFailureBeforeAnyAnswerGivesThemBack() {
        var state = AppState(formation: "f", user: "u")
        _ = state.apply(.attached(Self.file))
        Self.typed("chart this", into: &state)
        let effects = state.apply(.key(.enter))
        guard case .send(let turn, "chart this", _, nil, let files)? = effects.first(where: { if case .send = $0 { true } else { false } }) else {
            Issue.record("\(effects)"); return
        }
        #expect(files == [Self.file] && state.composer.attachments.isEmpty)
        #expect(state.transcript.entries.first?.attachments == [Self.file])
        _ = state.apply(.turnFailed(turn: turn, message: "not sent: /tmp/a b.csv: no such file"))
        #expect(state.composer.string == "chart this" && state.composer.attachments == [Self.file])
    }

    @Test func onlyFilesIsAMessageToo() {
        var state = AppState(formation: "f", user: "u")
        _ = state.apply(.attached(Self.file))
        let effects = state.apply(.key(.enter))
        #expect(effects.contains { if case .send(_, "(see the attached file)", _, _, [Self.file]) = $0 { true } else { false } }, "\(effects)")
    }

    @Test func theChipsAndTheFilesShowOnScreen() {
        var state = AppState(formation: "f", user: "u")
        _ = state.apply(.resize(width: 100, height: 30))
        _ = state.apply(.attached(Self.file))
        Self.typed("hello", into: &state)
        let rows = ChatLayout.render(state).lines()
        let chip = rows.firstIndex { $0.contains("[a b.csv · 812 B · text/csv]") }
        #expect(chip != nil && rows[(chip ?? 0) + 1].contains("hello"), "\(rows)")
        let turn = state.nextTurn
        _ = state.apply(.key(.enter))
        _ = state.apply(.turnStarted(turn: turn, requestID: "req_1", sessionID: "sess_1"))
        let made = [ProducedFile(name: "r.csv", kind: "text/csv", size: 8, savedAt: "/d/r.csv")]
        let effects = state.apply(.completed(turn: turn, text: "done", failed: false, artifacts: made))
        #expect(effects.first == .keepAnswer(turn: turn, sessionID: "sess_1", text: "done", status: .done, files: made), "\(effects)")
        let text = ChatLayout.render(state).lines().joined(separator: "\n")
        #expect(text.contains("[file] a b.csv · 812 B · text/csv"), "\(text)")
        #expect(text.contains("[made] r.csv · text/csv · 8 B → /d/r.csv"), "\(text)")
    }

    /// A file the runtime reports made (artifact_created) shows in the turn at once, and its
    /// line gives way to the answer's own when the answer lists it; one the answer does not
    /// list says where to find it.
    @Test func aFileReportedMadeShowsUntilTheAnswerListsIt() {
        var state = AppState(formation: "f", user: "u")
        _ = state.apply(.resize(width: 200, height: 40))
        Self.typed("make two files", into: &state)
        let turn = state.nextTurn
        _ = state.apply(.key(.enter))
        _ = state.apply(.turnStarted(turn: turn, requestID: "req_1", sessionID: "sess_1"))
        _ = state.apply(.progress(turn: turn, text: "Created report.txt"))
        _ = state.apply(.fileMade(turn: turn, name: "report.txt"))
        _ = state.apply(.fileMade(turn: turn, name: "report.txt"))   // said twice, shown once
        _ = state.apply(.fileMade(turn: turn, name: "chart\u{1B}[31m.png"))
        var text = ChatLayout.render(state).lines().joined(separator: "\n")
        #expect(text.components(separatedBy: "[made] report.txt · comes with the answer").count == 2, "\(text)")
        #expect(text.contains("[made] chart␛[31m.png · comes with the answer") && !text.contains("\u{1B}"), "\(text)")
        let made = [ProducedFile(name: "report.txt", kind: "text/plain", size: 33, savedAt: "/d/report.txt")]
        _ = state.apply(.completed(turn: turn, text: "done", failed: false, artifacts: made))
        text = ChatLayout.render(state).lines().joined(separator: "\n")
        #expect(text.contains("[made] report.txt · text/plain · 33 B → /d/report.txt") && !text.contains("comes with the answer"), "\(text)")
        #expect(text.contains("[made] chart␛[31m.png · not in the answer: see /artifacts"), "\(text)")
    }
}

/// A reopened session lists the files of its messages again, from the local copy, also when
/// the server has the messages (it keeps no files with them).
@Suite struct AttachmentMergeTests {
    @Test func theLocalCopysFilesGoUnderTheServersMessages() {
        var question = Entry(role: .user, text: "chart this")
        question.attachments = [AttachmentStateTests.file]
        var answer = Entry(role: .assistant, text: "Here.")
        answer.artifacts = [ProducedFile(name: "c.png", kind: "image/png", size: 10, savedAt: "/a/c.png")]
        let server = [Entry(role: .user, text: "hi"), Entry(role: .assistant, text: "hello"),
                      Entry(role: .user, text: "chart this"), Entry(role: .assistant, text: "Here.")]
        let merged = TranscriptMerge.addFiles(server: server, local: [Entry(role: .user, text: "hi"), question, answer])
        #expect(merged[2].attachments == [AttachmentStateTests.file] && merged[3].artifacts == answer.artifacts)
        #expect(merged[0].attachments.isEmpty && merged[1].artifacts.isEmpty)
    }

    @Test func theStoreKeepsTheFilesOfAMessage() throws {
        let store = try LocalStore.open(at: NSTemporaryDirectory() + "muxi-files-\(UUID().uuidString)/store.sqlite")
        let key = StoredSession.Key(formation: "f", user: "u", id: "s")
        try store.cacheMessage(key, role: .user, text: "q", files: [CachedFile(name: "a b.csv", type: "text/csv", size: 812)])
        try store.cacheMessage(key, role: .assistant, text: "a", files: [CachedFile(name: "r.csv", type: "csv", size: 4, path: "/d/r.csv")])
        try store.cacheMessage(key, role: .assistant, text: "plain")
        let entries = try store.cachedMessages(key).map(Entry.init(cached:))
        #expect(entries[0].attachments.map(\.label) == ["a b.csv · 812 B · text/csv"])
        #expect(entries[1].artifacts.first?.savedAt == "/d/r.csv" && entries[2].artifacts.isEmpty)
    }
}

/// The real event loop: a file attached with `/attach` reaches the server in the body, and an
/// answer's artifact is saved and shown.
@Suite(.serialized, .timeLimit(.minutes(1))) @MainActor struct AttachmentProgramTests {
    @Test func attachSendAndSaveTheAnswersFile() async throws {
        let dir = NSTemporaryDirectory() + "muxi-app-files-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: dir + "/notes é.md", contents: Data("# Notes\n".utf8))
        let t = ScriptedTransport()
        t.on("GET", "/v1/health", .json(200, #"{"status":"healthy"}"#))
        let completed = ChatToken(kind: .completed, text: "Made it.", requestID: "req_1", sessionID: "sess_1", userID: "alice",
                                  metadata: ["artifacts": [["type": "data", "format": "csv", "filename": "../out.csv", "content": "a,b\n"]]]).sseFrame
        t.on("POST", "/v1/chat", .sse([completed, "event: done\ndata: {}\n\n"]))
        let terminal = HeadlessTerminal()
        let runner = AppRunner(state: AppState(formation: "test", user: "alice"), terminal: terminal,
                               services: AppServices(client: try makeClient(t), store: nil, artifactsFolder: { dir + "/art/" + ($0 ?? "_") }))
        let run = Task { await runner.run() }
        terminal.type("/attach \(dir)/notes é.md".map(Key.character) + [.enter])
        #expect(await terminal.waitFor("[notes é.md · 8 B · text/markdown]"))
        terminal.type("/attach \(dir)/missing.txt".map(Key.character) + [.enter])
        #expect(await terminal.waitFor("not attached:"))
        terminal.type("summarise".map(Key.character) + [.enter])
        #expect(await terminal.waitFor("[made] ../out.csv · csv · 4 B →"), "\(terminal.text)")   // the name as given; saved inside the folder
        let body = try #require(t.requests(to: "/v1/chat").first?.bodyJSON)
        #expect(body["files"]?[0]?["filename"] == "notes é.md" && body["files"]?[0]?["content"] == "# Notes\n")
        #expect(FileManager.default.contents(atPath: dir + "/art/sess_1/out.csv") == Data("a,b\n".utf8))
        terminal.type([.ctrl("d")])
        #expect(await run.value == 0)
    }
}

/// The artifacts panel and its viewer: what a file holds is decided from its bytes, shown
/// safely; o opens, s saves a copy.
@Suite struct ArtifactViewerTests {
    @Test func contentIsReadFromTheBytes() {
        #expect(ArtifactContent.of(Data("a,\"b, c\"\n1,\"say \"\"hi\"\"\"\n".utf8), name: "t.csv", total: 20)
                == .table([["a", "b, c"], ["1", "say \"hi\""]]))
        #expect(ArtifactContent.of(Data("x\ty\n".utf8), name: "t.tsv", total: 4) == .table([["x", "y"]]))
        #expect(ArtifactContent.of(Data(#"{"b":1,"a":[true]}"#.utf8), name: "d.json", total: 18)
                == .text("{\n  \"a\" : [\n    true\n  ],\n  \"b\" : 1\n}"))
        #expect(ArtifactContent.of(Data("# T".utf8), name: "r.md", total: 3) == .markdown("# T"))
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 0, 0x80])
        #expect(ArtifactContent.of(png, name: "x.txt", total: 900) == .image(format: "PNG", width: 256, height: 128, bytes: 900))
        #expect(ArtifactContent.of(Data("not an image".utf8), name: "fake.png", total: 12) == .text("not an image"))   // claims, holds text
        #expect(ArtifactContent.of(Data([0x00, 0x01, 0xFF]), name: "b.bin", total: 3) == .binary(bytes: 3))
    }

    /// An image in the viewer: read, then drawn with the terminal's protocol in the viewer's
    /// picture area (its bytes kept out of the cells), drawn again for a new size, and a note
    /// where the terminal draws none.
    @Test func anImageIsDrawnWhereTheViewerSaysAndAgainAfterAResize() {
        var state = AppState(formation: "f", user: "u")
        _ = state.apply(.resize(width: 200, height: 50))
        var answer = Entry(role: .assistant, text: "done")
        answer.artifacts = [ProducedFile(name: "p.png", kind: "image/png", size: 900, savedAt: "/d/p.png")]
        state.transcript.entries.append(answer)
        _ = state.perform(.artifacts)
        #expect(state.apply(.key(.enter)) == [.readArtifact(path: "/d/p.png")])
        let area = ChatLayout.pictureArea(width: 200, height: 50)
        #expect(state.apply(.artifactRead(path: "/d/p.png", .image(format: "PNG", width: 240, height: 120, bytes: 900)))
                == [.drawPicture(path: "/d/p.png", format: "PNG", columns: area.width, rows: area.height)])
        #expect(ChatLayout.render(state).lines().joined().contains("drawing…"))
        let picture = ScreenImage(id: 3, x: 0, y: 0, columns: 30, rows: 6, payload: Array("SIXEL".utf8), graphicsProtocol: .sixel)
        _ = state.apply(.pictureReady(path: "/d/p.png", picture, note: nil))
        let screen = ChatLayout.render(state)
        #expect(screen.images == [ScreenImage(id: 3, x: area.x, y: area.y, columns: 30, rows: 6, payload: [], graphicsProtocol: .sixel)])
        #expect(screen.images.first?.payload == Array("SIXEL".utf8) && !screen.lines().joined().contains("SIXEL"))
        #expect(screen.lines()[area.y].contains("[PNG image") == false)   // the picture's rows are left blank
        // a smaller terminal: the picture is drawn again for it, the old one not shown meanwhile
        let small = ChatLayout.pictureArea(width: 100, height: 30)
        #expect(state.apply(.resize(width: 100, height: 30)) == [.drawPicture(path: "/d/p.png", format: "PNG", columns: small.width, rows: small.height)])
        #expect(ChatLayout.render(state).images.isEmpty)
        _ = state.apply(.pictureReady(path: "/d/p.png", nil, note: "this terminal draws no images (it answered no graphics protocol)"))
        let text = ChatLayout.render(state).lines().joined(separator: "\n")
        #expect(text.contains("this terminal draws no images") && text.contains("o opens it"), "\(text)")
        _ = state.apply(.key(.escape))
        #expect(ChatLayout.render(state).images.isEmpty)
    }

    @Test func escapesInAFileAreShownNotObeyed() {
        let lines = ArtifactContent.of(Data("red \u{1B}[31m bell \u{07}".utf8), name: "x.txt", total: 14).lines(width: 80)
        let text = lines.flatMap { $0.map(\.text) }.joined()
        #expect(!text.contains("\u{1B}") && !text.contains("\u{07}") && text.contains("red"))
    }

    @Test func thePanelShowsOpensAndSaves() {
        var state = AppState(formation: "f", user: "u")
        _ = state.apply(.resize(width: 120, height: 40))
        for c in "/artifacts" { _ = state.apply(.key(.character(c))) }
        #expect(state.apply(.key(.enter)) == [])
        #expect(state.notice?.text == "no answer of this session made a file" && state.composer.string == "/artifacts")
        state.composer.set("")
        var answer = Entry(role: .assistant, text: "done")
        answer.artifacts = [ProducedFile(name: "r.csv", kind: "text/csv", size: 8, savedAt: "/d/r.csv"),
                            ProducedFile(name: "kept.png", kind: "image", size: nil, savedAt: nil)]
        state.transcript.entries.append(answer)
        _ = state.perform(.artifacts)
        guard case .artifacts = state.modal else { Issue.record("no panel"); return }
        #expect(state.apply(.key(.enter)) == [])   // the newest first: kept.png, which was not saved here
        _ = state.apply(.key(.down))
        #expect(state.apply(.key(.enter)) == [.readArtifact(path: "/d/r.csv")])
        _ = state.apply(.artifactRead(path: "/d/r.csv", .table([["a", "b"], ["1", "2"]])))
        let screen = ChatLayout.render(state).lines().joined(separator: "\n")
        #expect(screen.contains("File: r.csv") && screen.contains("a │ b") && screen.contains("1 │ 2"), "\(screen)")
        #expect(state.apply(.key(.character("o"))) == [.openFile(path: "/d/r.csv")])
        #expect(state.apply(.key(.character("s"))) == [.copyFile(path: "/d/r.csv")])
        _ = state.apply(.key(.escape))
        if case .artifacts(let panel) = state.modal { #expect(panel.view == nil) } else { Issue.record("closed too soon") }
        _ = state.apply(.key(.escape))
        #expect(state.modal == nil)
    }
}

/// Tab completes paths after `/attach ` and in `@` mentions (a mentioned file is attached);
/// Tab anywhere else in a sentence still does nothing to it.
@Suite struct PathCompletionTests {
    static func state(_ text: String) -> AppState {
        var state = AppState(formation: "f", user: "u")
        for c in text { _ = state.apply(.key(.character(c))) }
        return state
    }

    @Test func tabAsksForThePathsOnlyWherePathsAreTyped() {
        var attach = Self.state("/attach do")
        #expect(attach.apply(.key(.tab)) == [.completePath(prefix: "do")])
        var mention = Self.state("look at @src/ma")
        #expect(mention.apply(.key(.tab)) == [.completePath(prefix: "src/ma")])
        var sentence = Self.state("just a sentence")
        #expect(sentence.apply(.key(.tab)) == [] && sentence.composer.string == "just a sentence")
        var middle = Self.state("look at @src")
        _ = middle.apply(.key(.left))
        #expect(middle.apply(.key(.tab)) == [])   // the caret is not at the end: nothing is completed
    }

    @Test func choicesCompleteAttachOrSayNone() {
        var s = Self.state("/attach do")
        _ = s.apply(.pathChoices(prefix: "do", ["docs/"]))
        #expect(s.composer.string == "/attach docs/")
        _ = s.apply(.pathChoices(prefix: "docs/", ["docs/my notes.md", "docs/my nuts.md"]))
        #expect(s.composer.string == "/attach docs/my\\ n" && s.notice?.text == "my notes.md  my nuts.md")
        _ = s.apply(.pathChoices(prefix: "stale", ["x"]))   // typed on since: ignored
        #expect(s.composer.string == "/attach docs/my\\ n")
        var none = Self.state("/attach zz")
        _ = none.apply(.pathChoices(prefix: "zz", []))
        #expect(none.composer.string == "/attach zz" && none.notice?.text.hasPrefix("no file or folder starts with zz") == true)
    }

    @Test func aMentionedFileIsCompletedAndAttached() {
        var s = Self.state("summarise @no")
        #expect(s.apply(.pathChoices(prefix: "no", ["notes.md"])) == [.inspectAttachment(path: "notes.md")])
        #expect(s.composer.string == "summarise @notes.md ")
    }

    @Test func theListingFindsFilesAndFolders() throws {
        let dir = NSTemporaryDirectory() + "muxi-paths-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/sub dir", withIntermediateDirectories: true)
        for name in ["notes.md", "notes 2.md", ".hidden"] { FileManager.default.createFile(atPath: dir + "/" + name, contents: Data("x".utf8)) }
        #expect(AppRunner.paths(startingWith: dir + "/no") == [dir + "/notes 2.md", dir + "/notes.md"])
        #expect(AppRunner.paths(startingWith: dir + "/") == [dir + "/notes 2.md", dir + "/notes.md", dir + "/sub dir/"])
        #expect(AppRunner.paths(startingWith: dir + "/.h") == [dir + "/.hidden"])
        #expect(AppRunner.paths(startingWith: dir + "/missing/x").isEmpty)
    }
}

/// A pasted path that names a file (a file dropped on the terminal) is offered as an
/// attachment; the pasted text stays until y, and n keeps it as text.
@Suite struct PastedPathTests {
    @Test func aPastedPathIsOfferedAndYAttachesIt() {
        var s = AppState(formation: "f", user: "u")
        for c in "see " { _ = s.apply(.key(.character(c))) }
        #expect(s.apply(.key(.paste("'/tmp/my file.csv'"))) == [.offerAttachment(path: "/tmp/my file.csv", pasted: "'/tmp/my file.csv'")])
        #expect(s.composer.string == "see '/tmp/my file.csv'")
        _ = s.apply(.attachOffer(AttachmentStateTests.file, pasted: "'/tmp/my file.csv'"))
        guard case .confirm = s.modal else { Issue.record("no question"); return }
        _ = s.apply(.key(.character("y")))
        #expect(s.composer.string == "see " && s.composer.attachments == [AttachmentStateTests.file])
    }

    @Test func nKeepsThePathAsTextAndOtherPastesAreText() {
        var s = AppState(formation: "f", user: "u")
        _ = s.apply(.key(.paste("file:///tmp/a%20b.csv")))
        _ = s.apply(.attachOffer(AttachmentStateTests.file, pasted: "file:///tmp/a%20b.csv"))
        _ = s.apply(.key(.character("n")))
        #expect(s.composer.string == "file:///tmp/a%20b.csv" && s.composer.attachments.isEmpty && s.modal == nil)
        #expect(AppState.pastedPath("file:///tmp/a%20b.csv") == "/tmp/a b.csv")
        for text in ["hello world", "/", "/tmp/a\n/tmp/b", "http://x/y"] { #expect(AppState.pastedPath(text) == nil, "\(text)") }
        var typedOn = AppState(formation: "f", user: "u")
        _ = typedOn.apply(.key(.paste("/tmp/a.csv")))
        _ = typedOn.apply(.key(.character("!")))
        _ = typedOn.apply(.attachOffer(AttachmentStateTests.file, pasted: "/tmp/a.csv"))   // typed on since: no question
        #expect(typedOn.modal == nil)
    }
}
