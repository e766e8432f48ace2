// ncurses for Swift: the wide-character API (SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so
// it is turned on here), and functions for the macros and globals Swift cannot import.
#ifndef MUXI_CNCURSES_SHIM_H
#define MUXI_CNCURSES_SHIM_H
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <stdio.h>
#include <curses.h>

static inline WINDOW *cn_stdscr(void) { return stdscr; }
static inline FILE *cn_stdout(void) { return stdout; }
static inline FILE *cn_stdin(void) { return stdin; }
static inline int cn_lines(void) { return LINES; }
static inline int cn_cols(void) { return COLS; }
static inline int cn_colors(void) { return COLORS; }
static inline attr_t cn_a_bold(void) { return A_BOLD; }
static inline attr_t cn_a_dim(void) { return A_DIM; }
static inline attr_t cn_a_reverse(void) { return A_REVERSE; }
static inline attr_t cn_a_underline(void) { return A_UNDERLINE; }
static inline attr_t cn_a_italic(void) { return A_ITALIC; }
static inline attr_t cn_color_pair(short n) { return (attr_t)COLOR_PAIR(n); }
static inline int cn_key_f(int n) { return KEY_F(n); }
static inline mmask_t cn_wheel_up(void) { return BUTTON4_PRESSED; }
#ifdef BUTTON5_PRESSED
static inline mmask_t cn_wheel_down(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t cn_wheel_down(void) { return 0; }
#endif
static inline mmask_t cn_button1_clicked(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED; }
extern int wcwidth(wchar_t c);
static inline int cn_wcwidth(unsigned int scalar) { return wcwidth((wchar_t)scalar); }
/// Draws one grapheme (UTF-32 scalars) with attributes and a colour pair at (y, x).
static inline int cn_put(WINDOW *w, int y, int x, const wchar_t *text, int count, attr_t attr, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attr, pair, NULL) != OK) return ERR;
    return mvwadd_wch(w, y, x, &cell);
}
#endif
