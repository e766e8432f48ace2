import ArgumentParser
import Foundation
import Logging
import LocalStore
import MuxiClient
import ChatApp

/// The connection options every formation command takes. Each falls back to an environment
/// variable, then to the profile in the config file: flags win over the environment, the
/// environment over the file.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The formation's URL, reached directly ({url}/v1).", valueName: "url"))
    var url: String?

    @Option(name: .customLong("server-url"), help: ArgumentHelp("A MUXI server, with --formation ({server}/api/{id}/v1).", valueName: "url"))
    var serverURL: String?

    @Option(name: .long, help: "The formation id behind --server-url.")
    var formation: String?

    @Flag(name: .long, help: "Use the draft formation behind --server-url ({server}/draft/{id}/v1).")
    var draft = false

    @Option(name: .customLong("client-key"), help: "The client key (chat, sessions, triggers).")
    var clientKey: String?

    @Option(name: .customLong("admin-key"), help: "The admin key (agents, scheduler changes, config).")
    var adminKey: String?

    @Option(name: .long, help: "The user to act for (X-Muxi-User-ID); default \"0\".")
    var user: String?

    @Option(name: .long, help: "A profile of the config file.")
    var profile: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait for the server.", valueName: "seconds"))
    var timeout: Double?

    @Flag(name: .long, help: "Log every request to stderr (keys never shown).")
    var debug = false

    /// The settings after flags, environment and profile are merged.
    struct Resolved {
        var values: [String: String]
        var warnings: [String]
        /// The config file's `[keys]` section, and the file's path.
        var keys: [(command: String, key: String, line: Int)] = []
        var configPath = ""
        /// The profiles of the config file, when none was chosen.
        var unchosenProfiles: [String] = []
        /// The app's keys, with the file's `[keys]` applied (checked for every command).
        var keymap = Keymap.standard

        func value(_ key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }
    }

    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Resolved {
        let path = ConfigFile.defaultPath(environment: environment)
        let file = try ConfigFile.load(path: path)
        let warnings = file?.permissionWarning.map { [$0] } ?? []
        let profileName = profile ?? environment["MUXI_PROFILE"] ?? file?.defaultProfile
        var fromFile: [String: String] = [:]
        if let profileName {
            guard let found = file?.profiles[profileName] else {
                throw CLIError.configuration("no profile \"\(profileName)\" in \(path)",
                                             hint: file.map { "profiles there: \($0.profiles.keys.sorted().joined(separator: ", "))" })
            }
            fromFile = found
        } else if let fallback = file?.profiles["default"] {
            fromFile = fallback
        }
        let flags: [String: String?] = [
            "url": url, "server_url": serverURL, "formation": formation, "draft": draft ? "true" : nil,
            "client_key": clientKey, "admin_key": adminKey, "user": user, "timeout": timeout.map { String($0) },
        ]
        let env: [String: String?] = [
            "url": environment["MUXI_URL"], "server_url": environment["MUXI_SERVER_URL"],
            "formation": environment["MUXI_FORMATION_ID"], "client_key": environment["MUXI_CLIENT_KEY"],
            "admin_key": environment["MUXI_ADMIN_KEY"], "user": environment["MUXI_USER_ID"],
            "key_id": environment["MUXI_KEY_ID"], "secret_key": environment["MUXI_SECRET_KEY"],
        ]
        var values = fromFile
        for (key, value) in env { if let value, !value.isEmpty { values[key] = value } }
        for (key, value) in flags { if let value { values[key] = value } }
        var keymap = Keymap.standard   // [keys] is checked for every command, not only the app
        for binding in file?.keys ?? [] {
            do {
                try keymap.bind(binding.key, to: binding.command)
            } catch {
                throw CLIError.configuration("\(path):\(binding.line): [keys] \(error.message)")
            }
        }
        if let text = values["timeout"], Double(text).map({ $0 > 0 && $0.isFinite }) != true {
            throw CLIError.configuration("the timeout must be a number of seconds above 0, not \"\(text)\"",
                                         hint: timeout == nil ? "see timeout in \(path)" : "--timeout SECONDS")
        }
        var resolved = Resolved(values: values, warnings: warnings, keys: file?.keys ?? [], configPath: path)
        resolved.keymap = keymap
        if profileName == nil, file?.profiles["default"] == nil { resolved.unchosenProfiles = file?.profiles.keys.sorted() ?? [] }
        return resolved
    }

    /// A formation client from the merged settings.
    func formationClient(_ resolved: Resolved) throws -> FormationClient {
        var config: FormationConfiguration
        if let url = resolved.value("url") {
            config = try FormationConfiguration(url: url)
        } else if let server = resolved.value("server_url") {
            guard let id = resolved.value("formation") else {
                throw CLIError.configuration("--server-url needs --formation", hint: "or set MUXI_FORMATION_ID")
            }
            config = try FormationConfiguration(serverURL: server, formationID: id,
                                                mode: resolved.value("draft") == "true" ? .draft : .live)
        } else if !resolved.unchosenProfiles.isEmpty {
            throw CLIError.configuration("no formation to talk to: \(resolved.configPath) has profiles, but none is chosen",
                                         hint: "profiles there: \(resolved.unchosenProfiles.joined(separator: ", ")); pick one with --profile NAME, MUXI_PROFILE, or default_profile = \"NAME\" in the file")
        } else {
            throw CLIError.configuration("no formation to talk to",
                                         hint: "give --url (or --server-url and --formation), set MUXI_URL, or add a profile to \(ConfigFile.defaultPath(environment: ProcessInfo.processInfo.environment))")
        }
        config.clientKey = resolved.value("client_key")
        config.adminKey = resolved.value("admin_key")
        config.userID = resolved.value("user") ?? "0"
        if let seconds = resolved.value("timeout").flatMap(Double.init), seconds > 0 {
            config.timeout = .milliseconds(Int64(seconds * 1000))
        }
        config.maxRetries = 1
        config.onSDKUpdate = UpdateNotice.handler()
        if debug {
            config.debug = true
            config.logger = Self.stderrLogger
        }
        return FormationClient(configuration: config)
    }

    /// Where `--debug` writes: stderr (the clients raise it to debug level).
    static var stderrLogger: Logger { Logger(label: "muxi") { StreamLogHandler.standardError(label: $0) } }

    /// Opens the local store; a store that cannot be opened is a warning, not a failure.
    func openStore(_ output: Output) -> LocalStore? {
        do {
            let store = try LocalStore.open(at: LocalStore.defaultPath())
            store.warnings.forEach { output.error("warning: \($0)") }
            return store
        } catch {
            output.error("warning: \(error) (continuing without the local session list)")
            return nil
        }
    }
}

/// A formation command: resolves the connection, then runs.
protocol FormationCommand: AsyncParsableCommand {
    var connection: ConnectionOptions { get }
    func run(client: FormationClient, output: Output) async throws
}

extension FormationCommand {
    func run() async throws {
        let output = Output()
        let resolved = try connection.resolve()
        resolved.warnings.forEach { output.error($0) }
        try await run(client: try connection.formationClient(resolved), output: output)
    }
}
