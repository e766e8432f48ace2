import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Child processes with `posix_spawn` and `waitpid`, for the tests that need what Foundation's
/// `Process` does not give: tmux (a client whose server lives on, whose exit `Process` can
/// miss) and a pid to SIGKILL in the middle of a write.
public enum Spawn {
    /// Starts `path` with `arguments` (after `path` itself as argv[0]); stdin is /dev/null,
    /// stdout and stderr go to the files named (/dev/null when nil); `environment` nil keeps
    /// this process's. The pid, or -1.
    public static func start(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                      stdout: String? = nil, stderr: String? = nil) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }
        // the child starts with no signal blocked and the default handlers: the test runner's
        // threads block some (SIGTERM among them), and a child would inherit that and ignore kill
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let started = envp.map { posix_spawn(&pid, path, &actions, &attributes, argv, $0) }
            ?? posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        return started == 0 ? pid : -1
    }

    /// Waits for `pid`; its wait status (0: it exited with 0).
    public static func wait(_ pid: pid_t) -> Int32 {
        guard pid > 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// Runs and waits; the wait status.
    public static func run(_ path: String, _ arguments: [String], stdout: String? = nil) -> Int32 {
        wait(start(path, arguments, stdout: stdout))
    }
}
