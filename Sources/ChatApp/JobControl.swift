import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stopping for the shell's job control, as Ctrl+Z does to a program whose terminal is not in
/// raw mode.
enum JobControl {
    /// Stops this process with `SIGTSTP` (its default action for the moment, in place of the
    /// app's handler) and returns once the shell continues it (`fg`, `bg`, or `kill -CONT`).
    ///
    /// The signal is sent to the calling thread, so it stops before this returns. A `kill` of
    /// the whole process let another thread take the stop while this one ran on and drew the
    /// screen back before the stop (seen once in ten tries on two cores); after `fg` nothing was
    /// drawn and the terminal stayed in the shell's modes. `SIGTSTP` rather than `SIGSTOP`: in a
    /// process group no shell waits for (an orphaned one) the kernel drops it, and the app goes
    /// on instead of stopping for good.
    ///
    /// ```swift
    /// terminal.suspend { JobControl.stopUntilContinued() }   // the screen is drawn again after
    /// ```
    static func stopUntilContinued() {
        var stop = sigaction()
        var previous = sigaction()
        #if canImport(Glibc)
        stop.__sigaction_handler.sa_handler = SIG_DFL
        #else
        stop.__sigaction_u.__sa_handler = SIG_DFL
        #endif
        sigemptyset(&stop.sa_mask)
        var unblocked = sigset_t(), previousMask = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, SIGTSTP)
        pthread_sigmask(SIG_UNBLOCK, &unblocked, &previousMask)
        sigaction(SIGTSTP, &stop, &previous)
        raise(SIGTSTP)
        sigaction(SIGTSTP, &previous, nil)
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
    }
}
