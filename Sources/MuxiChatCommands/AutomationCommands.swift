import ArgumentParser
import Foundation
import MuxiClient

struct Triggers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "triggers",
        abstract: "The formation's triggers.", subcommands: [List.self, Fire.self], defaultSubcommand: List.self)

    struct List: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the triggers.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag

        func run(client: FormationClient, output: Output) async throws {
            let names = try await client.triggers()
            if format.json { output.json(.array(names.map(JSONValue.string))) } else { names.forEach { output.line(output.cell($0)) } }
        }
    }

    struct Fire: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "fire",
            abstract: "Fire a trigger; sync prints the answer, --async the request id.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        @Argument(help: "The trigger's name.") var name: String
        @Option(name: .long, help: ArgumentHelp("The data, as JSON or @FILE.", valueName: "json")) var data: String?
        @Flag(name: .customLong("async"), help: "Return at once with the request id.") var runAsync = false

        func run(client: FormationClient, output: Output) async throws {
            let payload = try Self.parseData(data)
            let result = try await client.fireTrigger(name, data: payload, async: runAsync)
            if format.json {
                output.json(["status": .string(result.status.rawValue), "content": Format.string(result.content), "request_id": Format.string(result.requestID)])
            } else if runAsync {
                output.line(output.cell(result.requestID ?? result.status.rawValue))
            } else {
                output.line(output.safe(result.content ?? ""))
            }
        }

        static func parseData(_ text: String?) throws -> JSONValue {
            guard let text else { return [:] }
            var source = text
            if text.hasPrefix("@") {
                let path = String(text.dropFirst())
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CLIError.usage("cannot read \(path)")
                }
                source = String(decoding: data, as: UTF8.self)
            }
            do {
                return try JSONValue(parsing: source)
            } catch {
                throw CLIError.usage("--data is not valid JSON: \(error)", hint: #"--data '{"key": "value"}' or --data @file.json"#)
            }
        }
    }
}

struct Jobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs",
        abstract: "The user's scheduled jobs.",
        subcommands: [List.self, Create.self, Action<DeleteJob>.self, Action<PauseJob>.self, Action<ResumeJob>.self],
        defaultSubcommand: List.self)

    static func json(_ j: ScheduledJob) -> JSONValue {
        ["id": .string(j.id), "type": .string(j.isRecurring ? "recurring" : "one_time"), "schedule": .string(j.schedule),
         "message": .string(j.prompt), "status": .string(j.status.rawValue), "last_run_at": Format.iso(j.lastRunAt),
         "last_run_status": Format.string(j.lastRunStatus?.rawValue), "total_runs": .number(JSONNumber(j.totalRuns))]
    }

    struct List: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the user's jobs.")

        static func lastRun(_ job: ScheduledJob) -> String {
            guard let at = job.lastRunAt else { return "never" }
            return Format.time(at) + (job.lastRunStatus.map { " " + $0.rawValue } ?? "")
        }
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag

        func run(client: FormationClient, output: Output) async throws {
            let jobs = try await client.schedulerJobs()
            if format.json {
                output.json(.array(jobs.map(Jobs.json)))
            } else {
                // the same words as the app's jobs panel: lower-case status, "never" for no run yet
                output.table(["ID", "TYPE", "SCHEDULE", "STATUS", "LAST RUN", "MESSAGE"],
                             jobs.map { [output.cell($0.id), $0.isRecurring ? "recurring" : "one_time", output.cell($0.schedule),
                                         output.cell($0.status.rawValue.lowercased()), Self.lastRun($0), output.cell($0.prompt)] })
            }
        }
    }

    struct Create: FormationCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a job (admin key).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var format: JSONFlag
        @Option(name: .long, help: "recurring or one_time.") var type: String
        @Option(name: .long, help: "A cron expression (recurring) or an ISO 8601 time (one_time).") var schedule: String
        @Argument(help: "The message the job sends.") var message: [String]

        func run(client: FormationClient, output: Output) async throws {
            guard let jobType = JobType(rawValue: type) else {
                throw CLIError.usage("--type must be recurring or one_time, not \(type)")
            }
            let text = message.joined(separator: " ")
            guard !text.isEmpty else { throw CLIError.usage("no message for the job") }
            do {
                try JobSchedule.validate(schedule, type: jobType)
            } catch {
                throw CLIError.usage("--schedule: \(error.description)")
            }
            let job = try await client.createSchedulerJob(type: jobType, schedule: schedule, message: text)
            if format.json { output.json(Jobs.json(job)) } else { output.line(output.cell(job.id)) }
        }
    }

    /// delete, pause, resume: one job id, one line out.
    struct Action<Kind: JobAction>: FormationCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: Kind.name, abstract: Kind.abstract)
        }
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The job id.") var id: String
        func run(client: FormationClient, output: Output) async throws {
            output.line("\(output.cell(id)) \(output.cell(try await Kind.call(client, id).lowercased()))")
        }
    }
}

/// What one `jobs` action does to a job; returns the word to print after the id.
protocol JobAction {
    static var name: String { get }
    static var abstract: String { get }
    static func call(_ client: FormationClient, _ id: String) async throws -> String
}

enum DeleteJob: JobAction {
    static let name = "delete", abstract = "Delete a job (admin key)."
    static func call(_ c: FormationClient, _ id: String) async throws -> String {
        try await c.deleteSchedulerJob(id)
        return "deleted"
    }
}

enum PauseJob: JobAction {
    static let name = "pause", abstract = "Pause a job (admin key)."
    static func call(_ c: FormationClient, _ id: String) async throws -> String { try await c.pauseSchedulerJob(id).status.rawValue }
}

enum ResumeJob: JobAction {
    static let name = "resume", abstract = "Resume a job (admin key)."
    static func call(_ c: FormationClient, _ id: String) async throws -> String { try await c.resumeSchedulerJob(id).status.rawValue }
}
