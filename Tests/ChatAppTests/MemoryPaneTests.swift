import Testing
import Foundation
import ChatApp
import TerminalUI

/// The memory inspector as pure state: add, edit (new first, then the old one deleted),
/// delete after y with an undo, buffers, marks of what a turn changed, failures.
@Suite struct MemoryPaneTests {
    static let tea = MemoryItem(id: "m1", type: "preference", detail: "likes green tea")
    static let city = MemoryItem(id: "m2", type: "fact", detail: "lives in Lisbon")

    static func state() -> AppState {
        var s = AppState(formation: "f", user: "u", sessionID: "sess_1")
        _ = s.apply(.resize(width: 130, height: 30))
        _ = s.apply(.memoriesLoaded([tea, city]))
        s.focus = .memories
        return s
    }

    static func type(_ text: String, _ s: inout AppState) {
        for c in text { _ = s.apply(.key(.character(c))) }
    }

    @Test func addingOpensAFormAndSavesTypeAndDetail() {
        var s = Self.state()
        _ = s.apply(.key(.character("a")))
        #expect(s.memoryForm != nil)
        #expect(ChatLayout.render(s).lines().joined().contains("Add a memory"))
        Self.type("prefers trains", &s)
        _ = s.apply(.key(.tab))
        for _ in 0..<20 { _ = s.apply(.key(.backspace)) }
        Self.type("travel", &s)
        #expect(s.apply(.key(.enter)) == [.addMemory(type: "travel", detail: "prefers trains", replacing: nil)])
        #expect(s.memoryForm == nil)
        #expect(s.apply(.memoryDone("saved")) == [.loadMemories(upTo: MemoryPane.pageSize)])
    }

    @Test func anEmptyDetailIsRefusedAndEscCancels() {
        var s = Self.state()
        _ = s.apply(.key(.character("a")))
        #expect(s.apply(.key(.enter)) == [])
        #expect(s.memoryForm?.problem?.contains("detail") == true)
        _ = s.apply(.key(.escape))
        #expect(s.memoryForm == nil)
    }

    @Test func editingSavesTheNewTextReplacingTheOld() {
        var s = Self.state()
        _ = s.apply(.key(.down))
        _ = s.apply(.key(.character("e")))
        #expect(s.memoryForm?.detail.string == "lives in Lisbon")
        Self.type(" since 2020", &s)
        #expect(s.apply(.key(.enter)) == [.addMemory(type: "fact", detail: "lives in Lisbon since 2020", replacing: "m2")])
    }

    @Test func deletingAsksFirstThenCanBeUndoneForAFewSeconds() {
        var s = Self.state()
        _ = s.apply(.tick(Date(timeIntervalSince1970: 100)))
        _ = s.apply(.key(.character("d")))
        #expect(ChatLayout.render(s).lines().last?.contains("delete the memory") == true)
        #expect(s.apply(.key(.character("n"))) == [])          // anything but y keeps it
        _ = s.apply(.key(.character("d")))
        #expect(s.apply(.key(.character("y"))) == [.deleteMemory(Self.tea)])
        #expect(s.apply(.memoryDeleted(Self.tea)) == [.loadMemories(upTo: MemoryPane.pageSize)])
        _ = s.apply(.tick(Date(timeIntervalSince1970: 105)))
        #expect(s.apply(.key(.character("u"))) == [.restoreMemory(Self.tea)])
        #expect(s.apply(.memoryRestored) == [.loadMemories(upTo: MemoryPane.pageSize)] && s.memory.note?.text == "restored")
        #expect(s.apply(.key(.character("u"))) == [])          // once
    }

    @Test func theUndoExpires() {
        var s = Self.state()
        _ = s.apply(.tick(Date(timeIntervalSince1970: 100)))
        _ = s.apply(.memoryDeleted(Self.tea))
        _ = s.apply(.tick(Date(timeIntervalSince1970: 100 + MemoryPane.undoSeconds + 1)))
        #expect(s.apply(.key(.character("u"))) == [])
        #expect(s.memory.note?.text == "nothing to undo")
    }

    @Test func aFailedActionIsOneLineAndTheListIsReloaded() {
        var s = Self.state()
        #expect(s.apply(.failed(.memoryAction, message: "the server refused the key")) == [.loadMemories(upTo: MemoryPane.pageSize)])
        #expect(s.memory.note?.text == "the server refused the key" && s.memory.note?.tone == .error)
        #expect(s.memory.items == [Self.tea, Self.city])
        #expect(ChatLayout.render(s).lines().joined().contains("⚠ the server refused the key"))
    }

    @Test func whatATurnTaughtIsMarked() {
        var s = Self.state()
        s.focus = .composer
        Self.type("I moved to Porto", &s)
        _ = s.apply(.key(.enter))
        let moved = MemoryItem(id: "m3", type: "fact", detail: "lives in Porto")
        _ = s.apply(.memoriesLoaded([Self.tea, moved]))
        #expect(s.memory.changed == ["m3"])
        let screen = ChatLayout.render(s).lines().joined(separator: "\n")
        #expect(screen.contains("✦ fact"))
        #expect(!screen.contains("✦ preference"))
    }

    @Test func theFilterNarrowsTheList() {
        var s = Self.state()
        _ = s.apply(.key(.character("/")))
        Self.type("lisb", &s)
        #expect(s.memory.visible == [Self.city])
        _ = s.apply(.key(.enter))
        _ = s.apply(.key(.escape))
        #expect(s.memory.visible.count == 2)
    }

    @Test func buffersAreShownAndClearedAfterAConfirmation() {
        var s = Self.state()
        #expect(s.apply(.key(.character("b"))) == [.loadBuffer])
        _ = s.apply(.bufferLoaded(messages: 12, kilobytes: 3.4))
        #expect(s.memory.buffer?.hasPrefix("user: 12 messages, 3.4 KB") == true)
        _ = s.apply(.key(.character("C")))
        #expect(s.apply(.key(.character("y"))) == [.clearBuffer(sessionID: "sess_1")])
        _ = s.apply(.key(.character("c")))
        #expect(s.apply(.key(.character("y"))) == [.clearBuffer(sessionID: nil)])
    }

    @Test func theConfigurationIsShownAndHidden() {
        var s = Self.state()
        #expect(s.apply(.key(.character("g"))) == [.loadMemoryConfig])
        _ = s.apply(.memoryConfigLoaded(["buffer.size: 50"]))
        #expect(ChatLayout.render(s).lines().joined().contains("buffer.size: 50"))
        _ = s.apply(.key(.character("g")))
        #expect(s.memory.config == nil)
    }

    /// A heavy user's memories: only those around the chosen one are laid out.
    static func many(_ n: Int) -> AppState {
        var s = AppState(formation: "f", user: "u")
        _ = s.apply(.resize(width: 200, height: 50))
        _ = s.apply(.memoriesLoaded((0..<n).map { MemoryItem(id: "m\($0)", type: "fact", detail: "memory number \($0) about trains and tea") }))
        s.focus = .memories
        return s
    }

    @Test func thousandsOfMemoriesShowTheChosenOneWherever() {
        var s = Self.many(10_000)
        #expect(ChatLayout.render(s).lines().joined().contains("memory number 0 "))
        _ = s.apply(.key(.end))
        let end = ChatLayout.render(s).lines().joined()
        #expect(end.contains("memory number 9999 ") && !end.contains("memory number 0 "))
        for _ in 0..<300 { _ = s.apply(.key(.up)) }
        #expect(ChatLayout.render(s).lines().joined().contains("memory number 9699 "))
        _ = s.apply(.key(.character("/")))
        s.type("number 4242 ")
        #expect(s.memory.visible.map(\.id) == ["m4242"])
    }

    @Test func aFrameWithTenThousandMemoriesCostsAboutWhatOneWithTenDoes() {
        func cost(_ s: AppState) -> Duration {
            let clock = ContinuousClock()
            _ = ChatLayout.render(s)
            return clock.measure { for _ in 0..<20 { _ = ChatLayout.render(s) } }
        }
        let light = cost(Self.many(10)), heavy = cost(Self.many(10_000))
        // generous: laying out every memory made it about a thousand times the cost
        #expect(heavy < light * 10 + .milliseconds(20), "10,000 memories: \(heavy), 10: \(light)")
    }

    /// A heavy user's memories come page by page: the next as the list nears the end of those
    /// loaded, all of them (page after page) once a filter is typed.
    @Test func memoriesArePagedAsTheListScrolls() {
        var s = AppState(formation: "f", user: "u")
        _ = s.apply(.resize(width: 200, height: 50))
        let page = { (offset: Int) in (offset..<(offset + MemoryPane.pageSize)).map { MemoryItem(id: "m\($0)", type: "fact", detail: "memory \($0)") } }
        #expect(s.apply(.memoriesLoaded(page(0), hasMore: true)).isEmpty)
        s.focus = .memories
        var asked: [Effect] = []
        let size = MemoryPane.pageSize
        for _ in 0..<size { asked += s.apply(.key(.down)) }
        #expect(asked == [.loadMoreMemories(offset: size)])   // once, near the end, not again while it comes
        #expect(s.apply(.memoriesPage(page(size), offset: size, hasMore: false)).isEmpty)
        #expect(s.memory.items.count == 2 * size && !s.memory.hasMore)
        for _ in 0..<300 { #expect(s.apply(.key(.down)).isEmpty) }   // the server has no more
        // a filter wants them all: page after page, each asked for when the one before came
        var t = AppState(formation: "f", user: "u")
        _ = t.apply(.memoriesLoaded(page(0), hasMore: true))
        t.focus = .memories
        _ = t.apply(.key(.character("/")))
        #expect(t.apply(.key(.character("7"))) == [.loadMoreMemories(offset: size)])
        #expect(t.apply(.memoriesPage(page(size), offset: size, hasMore: true)) == [.loadMoreMemories(offset: 2 * size)])
        // a page that a reload overtook is dropped
        _ = t.apply(.memoriesLoaded(page(0), hasMore: true))
        _ = t.apply(.memoriesPage(page(2 * size), offset: 2 * size, hasMore: true))
        #expect(t.memory.items.count == size)
        #expect(t.apply(.memoryDone("saved")) == [.loadMemories(upTo: MemoryPane.pageSize)])
    }
}
