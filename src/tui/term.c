// SPDX-License-Identifier: MIT
/*
 * curses lives here and nowhere else. Colour roles map to one of three palettes (256 colours,
 * 8 colours, monochrome for NO_COLOR or colourless terminals: attributes only). A fatal signal
 * cannot call endwin() safely, so the reset sequence and the original termios are prepared at
 * open time and a handler writes/applies them with async-signal-safe calls, then re-raises.
 * SIGWINCH also writes to a pipe the loop polls (term__wake_fd), then runs curses' handler.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "palette.h"
#include "term.h"

enum palette { PALETTE_MONO, PALETTE_8, PALETTE_256 };

struct tui_term {
	SCREEN *screen;
	FILE *in, *out; /* borrowed stdin/stdout, or owned /dev/tty streams */
	bool own_in, own_out;
	bool ascii;
	enum palette palette;
	attr_t attrs[ROLE_COUNT][RENDER_SHADES];
	short pairs[ROLE_COUNT][RENDER_SHADES];
};

/* The first NFATAL get our handler; curses installs its own for the last two. */
static const int saved_signals[] = { SIGINT,  SIGTERM, SIGHUP, SIGQUIT, SIGSEGV,
				     SIGABRT, SIGBUS,  SIGFPE, SIGWINCH, SIGTSTP };
#define NSIGNALS (sizeof(saved_signals) / sizeof(saved_signals[0]))
#define NFATAL (NSIGNALS - 2)

/* State the signal handler reads; written before handlers are installed. */
static struct sigaction old_actions[NSIGNALS];
static struct termios saved_tio;
static char reset_seq[512];
static size_t reset_len;
static int tty_fd = -1;
static volatile sig_atomic_t screen_active;
static bool atexit_done;
static struct tui_term *the_term;

static void restore_raw(void)
{
	ssize_t rc;

	if (!screen_active)
		return;
	screen_active = 0;
	rc = write(tty_fd, reset_seq, reset_len);
	(void)rc; /* nothing better to do in a dying process */
	tcsetattr(tty_fd, TCSANOW, &saved_tio);
}

static void on_fatal(int sig)
{
	int saved = errno;

	restore_raw();
	/* SA_RESETHAND put the default action back: die from the same signal. */
	raise(sig);
	errno = saved;
}

/*
 * SIGWINCH wakes the loop through a pipe, then runs curses' own handler (which makes the next
 * read return KEY_RESIZE). Without the pipe a resize that lands after the last read and before
 * poll() (while a frame is drawn) goes unseen until the next key: the screen stayed at the old
 * size. The pipe is written from any thread the signal lands on.
 */
static int winch_pipe[2] = { -1, -1 };
static struct sigaction curses_winch;

static void on_winch(int sig, siginfo_t *info, void *uctx)
{
	int saved = errno;
	ssize_t rc = write(winch_pipe[1], "w", 1);

	(void)rc; /* full: a wake-up is already pending */
	if (curses_winch.sa_flags & SA_SIGINFO) {
		if (curses_winch.sa_sigaction)
			curses_winch.sa_sigaction(sig, info, uctx);
	} else if (curses_winch.sa_handler != SIG_DFL && curses_winch.sa_handler != SIG_IGN) {
		curses_winch.sa_handler(sig);
	}
	errno = saved;
}

/* After newterm(), over curses' handler; a failure only loses the wake-up (as before). */
static void install_winch(void)
{
	struct sigaction sa;

	if (pipe2(winch_pipe, O_NONBLOCK | O_CLOEXEC)) {
		winch_pipe[0] = winch_pipe[1] = -1;
		return;
	}
	sigaction(SIGWINCH, NULL, &curses_winch);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_winch;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
}

/* After restore_signals(): no handler writes to the pipe any more. */
static void close_winch(void)
{
	for (int i = 0; i < 2; i++) {
		if (winch_pipe[i] >= 0)
			close(winch_pipe[i]);
		winch_pipe[i] = -1;
	}
}

int term__wake_fd(const struct tui_term *t)
{
	(void)t;
	return winch_pipe[0];
}

void term__drain_wake(struct tui_term *t)
{
	char buf[64];

	(void)t;
	while (winch_pipe[0] >= 0 && read(winch_pipe[0], buf, sizeof(buf)) > 0)
		;
}

static void on_exit_restore(void)
{
	if (the_term)
		term__close(the_term);
}

static void append_cap(const char *cap)
{
	char *s = tigetstr(cap);
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	if (n < sizeof(reset_seq) - reset_len) {
		memcpy(reset_seq + reset_len, s, n);
		reset_len += n;
	}
}

static void append_str(const char *s)
{
	size_t n = strlen(s);

	if (n < sizeof(reset_seq) - reset_len) {
		memcpy(reset_seq + reset_len, s, n);
		reset_len += n;
	}
}

static void pal8(int role, int shade, short *fg, short *bg, attr_t *attr)
{
	*fg = COLOR_BLACK;
	*attr = A_NORMAL;
	switch (role) {
	case ROLE_DEFAULT:
		*fg = -1, *bg = -1;
		break;
	case ROLE_HEADER:
	case ROLE_STATUS:
	case ROLE_HELP:
		*fg = COLOR_WHITE, *bg = COLOR_BLUE;
		break;
	case ROLE_MESSAGE:
		*fg = COLOR_WHITE, *bg = COLOR_RED, *attr = A_BOLD;
		break;
	case ROLE_USER:
		*bg = shade & 1 ? COLOR_YELLOW : COLOR_RED;
		break;
	case ROLE_KERNEL:
		*bg = COLOR_YELLOW, *fg = COLOR_RED;
		break;
	case ROLE_JIT:
		*bg = COLOR_GREEN;
		break;
	case ROLE_PYTHON:
		*bg = COLOR_CYAN;
		break;
	case ROLE_ROOT:
	case ROLE_UNKNOWN:
	case ROLE_TABLE_HEAD:
		*bg = COLOR_WHITE;
		break;
	case ROLE_SPECIAL:
		*bg = COLOR_BLUE, *fg = COLOR_WHITE;
		break;
	case ROLE_SELECTED:
		*bg = COLOR_CYAN, *attr = A_BOLD;
		break;
	case ROLE_MATCH:
		*bg = COLOR_MAGENTA, *attr = A_BOLD;
		break;
	case ROLE_HEAT: /* shades are glyphs here */
		*fg = -1, *bg = -1;
		break;
	case ROLE_HEAT_SEL:
		*fg = COLOR_WHITE, *bg = COLOR_BLUE, *attr = A_BOLD;
		break;
	case ROLE_DIFF_UP:
		*bg = COLOR_RED;
		break;
	case ROLE_DIFF_DOWN:
		*bg = COLOR_BLUE, *fg = COLOR_WHITE;
		break;
	case ROLE_DIFF_SAME:
		*bg = COLOR_WHITE;
		break;
	default: /* merged, dimmed */
		*fg = COLOR_WHITE, *bg = COLOR_BLACK, *attr = A_DIM;
		break;
	}
}

static attr_t mono_attr(int role)
{
	switch (role) {
	case ROLE_DEFAULT:
	case ROLE_MERGED:
	case ROLE_HEAT:
		return A_NORMAL;
	case ROLE_SELECTED:
		return A_BOLD | A_UNDERLINE; /* the only unreversed frame: stands out */
	case ROLE_MATCH:
		return A_REVERSE | A_BOLD | A_UNDERLINE;
	case ROLE_DIMMED:
	case ROLE_DIFF_SAME:
		return A_DIM;
	case ROLE_DIFF_UP:
		return A_REVERSE | A_BOLD;
	case ROLE_MESSAGE:
	case ROLE_TABLE_HEAD:
		return A_BOLD | A_REVERSE;
	default:
		return A_REVERSE;
	}
}

static void setup_palette(struct tui_term *t)
{
	const char *no_color = getenv("NO_COLOR");
	short next = 1;

	t->palette = PALETTE_MONO;
	if ((!no_color || !*no_color) && has_colors() && start_color() == OK) {
		use_default_colors();
		t->palette = COLORS >= 256 && COLOR_PAIRS > ROLE_COUNT * RENDER_SHADES ?
				     PALETTE_256 :
				     PALETTE_8;
	}
	for (int r = 0; r < ROLE_COUNT; r++) {
		for (int s = 0; s < RENDER_SHADES; s++) {
			short fg, bg;
			attr_t attr;

			t->pairs[r][s] = 0;
			if (t->palette == PALETTE_MONO) {
				t->attrs[r][s] = mono_attr(r);
				continue;
			}
			if (t->palette == PALETTE_256) {
				fg = palette_256_fg[r];
				bg = palette_256_bg[r][s];
				attr = r == ROLE_SELECTED || r == ROLE_HEADER ||
						       r == ROLE_TABLE_HEAD ?
					       A_BOLD :
					       A_NORMAL;
			} else {
				pal8(r, s, &fg, &bg, &attr);
				if (s && r != ROLE_USER) {
					t->pairs[r][s] = t->pairs[r][0];
					t->attrs[r][s] = attr;
					continue;
				}
			}
			if (next < COLOR_PAIRS && init_pair(next, fg, bg) == OK)
				t->pairs[r][s] = next++;
			t->attrs[r][s] = attr;
		}
	}
}

/* Before newterm(): afterwards curses' own handlers would be what we "restore". */
static void save_signals(void)
{
	for (size_t i = 0; i < NSIGNALS; i++)
		sigaction(saved_signals[i], NULL, &old_actions[i]);
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NFATAL; i++) {
		const struct sigaction *o = &old_actions[i];
		int sig = saved_signals[i];

		/* a program that handles these itself ends the loop (tui_live.stop) and restores
		 * the terminal on its way out, as it would after q */
		if ((sig == SIGINT || sig == SIGTERM || sig == SIGHUP) &&
		    !(o->sa_flags & SA_SIGINFO) && o->sa_handler != SIG_DFL &&
		    o->sa_handler != SIG_IGN)
			continue;
		sigaction(sig, &sa, NULL);
	}
}

static void restore_signals(void)
{
	for (size_t i = 0; i < NSIGNALS; i++)
		sigaction(saved_signals[i], &old_actions[i], NULL);
}

struct tui_term *term__open(void)
{
	struct tui_term *t;
	const char *cs;
	int err;

	if (the_term) {
		errno = EBUSY;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->in = stdin;
	t->out = stdout;
	/* Data may arrive on stdin (file -) or leave on stdout; the screen is the tty. */
	if (!isatty(STDIN_FILENO)) {
		t->in = fopen("/dev/tty", "re");
		t->own_in = true;
	}
	if (!isatty(STDOUT_FILENO)) {
		t->out = fopen("/dev/tty", "we");
		t->own_out = true;
	}
	if (!t->in || !t->out) {
		err = ENOTTY;
		goto fail;
	}
	tty_fd = fileno(t->out);
	if (tcgetattr(fileno(t->in), &saved_tio)) {
		err = ENOTTY;
		goto fail;
	}
	/* Only the character type: numbers must keep the C locale's decimal point. */
	setlocale(LC_CTYPE, "");
	cs = nl_langinfo(CODESET);
	t->ascii = !cs || strcmp(cs, "UTF-8");
	if (!getenv("TERM") || !*getenv("TERM")) {
		err = ENOENT;
		goto fail;
	}
	save_signals();
	t->screen = newterm(NULL, t->out, t->in);
	if (!t->screen) {
		restore_signals();
		err = ENOENT;
		goto fail;
	}
	set_term(t->screen);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25); /* a lone Esc must not wait a second */
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED,
		  NULL);
	setup_palette(t);

	reset_len = 0;
	append_cap("sgr0");
	append_cap("cnorm");
	append_cap("rmkx");
	append_str("\033[?1000l\033[?1002l\033[?1006l"); /* mouse reporting off (xterm) */
	append_cap("rmcup");
	the_term = t;
	screen_active = 1;
	install_signals();
	install_winch();
	if (!atexit_done && !atexit(on_exit_restore))
		atexit_done = true;
	return t;
fail:
	if (t->own_in && t->in)
		fclose(t->in);
	if (t->own_out && t->out)
		fclose(t->out);
	free(t);
	errno = err;
	return NULL;
}

struct tui_term *term__close(struct tui_term *t)
{
	if (!t)
		return NULL;
	screen_active = 0;
	endwin();
	delscreen(t->screen);
	restore_signals();
	close_winch();
	if (t->own_in)
		fclose(t->in);
	if (t->own_out)
		fclose(t->out);
	the_term = NULL;
	tty_fd = -1;
	free(t);
	return NULL;
}

int term__fd(const struct tui_term *t)
{
	return fileno(t->in);
}

void term__size(const struct tui_term *t, int *ret_w, int *ret_h)
{
	(void)t;
	*ret_w = COLS;
	*ret_h = LINES;
}

bool term__ascii(const struct tui_term *t)
{
	return t->ascii;
}

bool term__few_colours(const struct tui_term *t)
{
	return t->palette != PALETTE_256;
}

int term__clipboard(struct tui_term *t, const char *text, size_t len)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)text;

	(void)t;
	if (fputs("\033]52;c;", stdout) == EOF)
		return -EIO;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0) |
			     (i + 2 < len ? p[i + 2] : 0);
		char q[4] = { b64[v >> 18], b64[(v >> 12) & 63], i + 1 < len ? b64[(v >> 6) & 63] : '=',
			      i + 2 < len ? b64[v & 63] : '=' };

		if (fwrite(q, 1, 4, stdout) != 4)
			return -EIO;
	}
	if (fputs("\a", stdout) == EOF || fflush(stdout) == EOF)
		return -EIO;
	return 0;
}

int term__blit(struct tui_term *t, const struct cellbuf *b)
{
	for (int y = 0; y < b->h && y < LINES; y++) {
		for (int x = 0; x < b->w && x < COLS; x++) {
			const struct cell *c = cellbuf__at(b, x, y);
			int role = c->role < ROLE_COUNT ? c->role : ROLE_DEFAULT;
			int shade = c->shade % RENDER_SHADES;
			wchar_t wc[2] = { (wchar_t)c->ch, 0 };
			cchar_t cc;

			if (!c->ch)
				continue; /* right half of a wide glyph */
			if (t->ascii && c->ch >= 0x80)
				wc[0] = '?'; /* render escapes these; never trust a stray one */
			setcchar(&cc, wc, t->attrs[role][shade], t->pairs[role][shade], NULL);
			mvadd_wch(y, x, &cc);
		}
	}
	if (wnoutrefresh(stdscr) == ERR || doupdate() == ERR)
		return -EIO;
	return 0;
}

static int map_key(int k)
{
	switch (k) {
	case KEY_UP:
		return TK_UP;
	case KEY_DOWN:
		return TK_DOWN;
	case KEY_LEFT:
		return TK_LEFT;
	case KEY_RIGHT:
		return TK_RIGHT;
	case KEY_ENTER:
		return TK_ENTER;
	case KEY_BACKSPACE:
		return TK_BACKSPACE;
	case KEY_BTAB:
		return TK_BTAB;
	case KEY_PPAGE:
		return TK_PGUP;
	case KEY_NPAGE:
		return TK_PGDN;
	case KEY_HOME:
		return TK_HOME;
	case KEY_END:
		return TK_END;
	case KEY_F(1):
		return TK_F1;
	default:
		return TK_OTHER;
	}
}

int term__read(struct tui_term *t, struct term_event *ev)
{
	wint_t wk;
	MEVENT me;
	int rc;

	(void)t;
	for (;;) {
		rc = wget_wch(stdscr, &wk);
		if (rc == ERR)
			return 0;
		memset(ev, 0, sizeof(*ev));
		if (rc == KEY_CODE_YES) {
			if (wk == KEY_RESIZE) {
				ev->type = TERM_EV_RESIZE;
				return 1;
			}
			if (wk == KEY_MOUSE) {
				if (getmouse(&me) != OK)
					continue;
				ev->x = me.x;
				ev->y = me.y;
				ev->shift = me.bstate & BUTTON_SHIFT;
				if (me.bstate & BUTTON1_DOUBLE_CLICKED)
					ev->type = TERM_EV_DOUBLE_CLICK;
				else if (me.bstate & BUTTON1_CLICKED)
					ev->type = TERM_EV_CLICK;
				else if (me.bstate & BUTTON4_PRESSED)
					ev->type = TERM_EV_WHEEL_UP;
				else if (me.bstate & BUTTON5_PRESSED)
					ev->type = TERM_EV_WHEEL_DOWN;
				else
					continue;
				return 1;
			}
			ev->type = TERM_EV_KEY;
			ev->key = map_key((int)wk);
			return 1;
		}
		ev->type = TERM_EV_KEY;
		switch (wk) {
		case '\r':
		case '\n':
			ev->key = TK_ENTER;
			break;
		case 27:
			ev->key = TK_ESC;
			break;
		case 127:
		case 8:
			ev->key = TK_BACKSPACE;
			break;
		case '\t':
			ev->key = TK_TAB;
			break;
		case 12: /* Ctrl-L: whatever wrote over the screen, paint all of it again */
			clearok(curscr, TRUE);
			ev->type = TERM_EV_RESIZE;
			return 1;
		default:
			ev->key = (int)wk;
			break;
		}
		return 1;
	}
}
