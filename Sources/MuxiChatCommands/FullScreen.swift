import ArgumentParser
import ChatApp
import CursesTerminal
import Foundation
import LocalStore
import Logging
import MuxiClient

/// `muxi-chat app` (the default): the full-screen app.
struct App: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "app",
        abstract: "Open the full-screen app (what muxi-chat does without a subcommand).")

    @OptionGroup var connection: ConnectionOptions

    @Flag(name: .long, help: "Start a new session instead of resuming the last one.")
    var new = false

    @Option(name: .long, help: "Open this session.")
    var session: String?

    func validate() throws {
        if new && session != nil { throw ValidationError("give --new or --session, not both") }
    }

    func run() async throws {
        let code = try await FullScreen.open(connection: connection, newSession: new, sessionID: session)
        if code != 0 { MuxiChat.terminate(code) }
    }
}

/// Opens the full-screen app.
enum FullScreen {
    @MainActor
    static func open(connection: ConnectionOptions, newSession: Bool, sessionID: String?) async throws -> Int32 {
        let output = Output()
        let resolved = try connection.resolve()
        resolved.warnings.forEach { output.error($0) }
        // nothing may be printed while the screen is active: no SDK-update notice, and the
        // request log goes to a file
        var config = try connection.formationClient(resolved).configuration
        config.onSDKUpdate = nil
        if connection.debug {
            let path = (LocalStore.defaultPath() as NSString).deletingLastPathComponent + "/debug.log"
            var logger = Logger(label: "muxi") { _ in FileLogHandler(path: path) }
            logger.logLevel = .debug
            config.logger = logger
            output.error("debug log: \(path)")
        }
        let client = FormationClient(configuration: config)
        let store = connection.openStore(output)
        let user = client.configuration.userID ?? "0"
        var session = sessionID
        if session == nil && !newSession {
            let formation = client.configuration.baseURL
            if let open = try? store?.openSession(formation: formation, user: user) {
                session = open   // what was on screen at the last quit (nil: a new session)
            } else {
                session = try? store?.lastSession(formation: formation, user: user)?.key.id
            }
        }
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(environment: ProcessInfo.processInfo.environment)
        } catch let error as TerminalUnavailable {
            throw CLIError.usage(error.description)
        }
        let title = client.configuration.baseURL.replacingOccurrences(of: "https://", with: "")
            .replacingOccurrences(of: "http://", with: "").replacingOccurrences(of: "/v1", with: "")
        var state = AppState(formation: title, user: user, sessionID: session)
        state.keymap = resolved.keymap
        let stateDirectory = (LocalStore.defaultPath() as NSString).deletingLastPathComponent
        return await AppRunner(state: state, terminal: terminal,
                               services: AppServices(client: client, store: store, stateDirectory: stateDirectory)).run()
    }
}

/// Appends log lines to a file (for `--debug` while the screen is active).
struct FileLogHandler: LogHandler {
    let path: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let line = "\(ISO8601DateFormatter().string(from: Date())) \(event.level) \(event.message)\n"
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            return FileHandle(forWritingAtPath: path)
        }() else { return }
        handle.seekToEndOfFile()
        handle.write(Data(line.utf8))
        try? handle.close()
    }
}
