"""The interface in Chinese and English. The language is the one the user chose (a cookie),
else the browser's Accept-Language, else the configured default."""

from __future__ import annotations

from collections.abc import Callable

LANGS = ("zh", "en")

MESSAGES: dict[str, tuple[str, str]] = {  # key: (zh, en)
    "app": ("gointerview", "gointerview"),
    "skip_to_content": ("跳到正文", "Skip to content"),
    "nav_home": ("首页", "Home"),
    "nav_start": ("开始一轮", "Start a round"),
    "nav_sessions": ("面试记录", "Sessions"),
    "nav_bank": ("题库", "Question bank"),
    "nav_grade": ("单题评分", "Grade an answer"),
    "nav_exercises": ("手撕代码", "Coding exercises"),
    "nav_users": ("用户", "Users"),
    "sign_out": ("退出", "Sign out"),
    "signed_in_as": ("已登录：{name}（{role}）", "Signed in as {name} ({role})"),
    "local_mode": ("本机模式（无需登录）", "Local mode (no sign-in)"),
    "language": ("语言", "Language"),
    "footer": (
        "gointerview · 离线可用，所有资源由本服务提供",
        "gointerview · works offline; every asset is served by this app",
    ),
    # home
    "home_title": ("Go 后端面试练习", "Go backend interview practice"),
    "home_intro": (
        "按面试计划出题，每答一题给出点评（答到的要点、遗漏、误区和追问），结束后生成五维评估报告。",
        "Rounds of questions chosen by plan and level; after every answer a review (points hit, "
        "missed, misconceptions, a follow-up); at the end a five-dimension report.",
    ),
    "next_step": ("下一步", "What to do next"),
    "continue_session": (
        "继续面试 {id}：第 {k}/{n} 题（{state}）",
        "Continue session {id}: question {k} of {n} ({state})",
    ),
    "drill": ("按上次报告复习：", "Drill what the last report found weak:"),
    "first_round": ("还没有面试记录：开始第一轮吧。", "No sessions yet: start your first round."),
    "recent_sessions": ("最近的面试", "Recent sessions"),
    "all_sessions": ("全部记录", "All sessions"),
    "quick_start": ("快速开始", "Quick start"),
    # start
    "start_title": ("开始一轮面试", "Start a round"),
    "plan": ("面试计划", "Plan"),
    "plan_detail": ("{minutes} 分钟 · {questions} 题", "{minutes} min · {questions} questions"),
    "level": ("级别", "Level"),
    "round_lang": ("题目语言", "Language of the questions"),
    "tags": ("标签（可选，逗号分隔）", "Tags (optional, comma-separated)"),
    "tags_help": (
        "只出带这些标签的题，例如 gmp, channel",
        "Only questions with one of these tags, e.g. gmp, channel",
    ),
    "coding": (
        "包含计划中的手撕代码题（在终端里编写和提交）",
        "Include the plan's coding exercise (written and submitted in the terminal)",
    ),
    "advanced": ("高级", "Advanced"),
    "seed": (
        "随机种子（可选，同一种子出同样的题）",
        "Seed (optional: the same seed, the same questions)",
    ),
    "start_button": ("开始", "Start"),
    # interview
    "question_k_of_n": ("第 {k}/{n} 题", "Question {k} of {n}"),
    "follow_up_of": ("追问（第 {k} 题）", "Follow-up to question {k}"),
    "exercise_k_of_n": ("手撕代码 {k}/{n}", "Coding {k} of {n}"),
    "time_left": ("剩余时间", "Time left"),
    "time_up": ("时间到：这一题答完后本轮结束", "Time is up: the round ends after this answer"),
    "your_answer": ("你的回答", "Your answer"),
    "answer_help": (
        "可以多行；草稿自动保存在服务器上，关闭页面也不会丢。Ctrl+Enter 提交。",
        "As many lines as you like; the draft is saved on the server as you type, so closing "
        "the tab loses nothing. Ctrl+Enter submits.",
    ),
    "draft_saved": ("草稿已保存", "Draft saved"),
    "draft_saving": ("正在保存草稿…", "Saving the draft…"),
    "draft_failed": ("草稿未能保存（网络？）", "The draft could not be saved (network?)"),
    "submit": ("提交回答", "Submit answer"),
    "dont_know": ("不会", "Don't know"),
    "skip": ("跳过", "Skip"),
    "pause": ("暂停", "Pause"),
    "resume": ("继续", "Resume"),
    "start_round": ("开始答题", "Begin"),
    "paused_title": ("已暂停", "Paused"),
    "paused_text": (
        "计时已停止，进度和草稿都已保存。可以关闭页面，之后在这里或终端（gointerview interview "
        "--resume {id}）继续。",
        "The clock is stopped; progress and the draft are saved. Close the tab if you like and "
        "continue here or in the terminal (gointerview interview --resume {id}).",
    ),
    "finished_title": ("本轮结束", "The round is over"),
    "finished_time": ("时间用完了。", "The time ran out."),
    "finished_complete": ("所有题目都已完成。", "Every question is done."),
    "open_report": ("查看评估报告", "Open the report"),
    "exercise_terminal": (
        "手撕代码题请在终端完成：`gointerview exercise start {ref} DIR` 编写，然后 "
        "`gointerview interview --resume {id}` 输入目录提交。也可以跳过。",
        "Write coding exercises in the terminal: `gointerview exercise start {ref} DIR`, then "
        "`gointerview interview --resume {id}` and enter the directory. Or skip it.",
    ),
    # review
    "review": ("点评", "Review (点评)"),
    "review_of": ("上一题的点评", "Review of your last answer"),
    "score": ("得分", "Score"),
    "your_answer_marked": (
        "你的回答（绿色：答到的要点；黄色：部分答到；红色：错误的说法）",
        "Your answer (green: key points hit; yellow: partly; red: a wrong claim)",
    ),
    "hit": ("答到的要点", "Key points hit"),
    "partial": ("部分答到", "Partly covered"),
    "missed": ("遗漏的要点", "Missed"),
    "wrong": ("错误的说法及原因", "What was wrong, and why"),
    "you_said": ("你说：", "You said:"),
    "correction": ("纠正：", "Correction:"),
    "follow_up": ("追问", "Follow-up"),
    "follow_up_next": ("接下来追问", "Next, a follow-up"),
    "follow_up_think": (
        "追问（想一想，本轮不再问）",
        "A follow-up to think about (not asked this round)",
    ),
    "notes": ("说明", "Notes"),
    "none": ("无", "none"),
    "transcript": ("已完成 {n} 题（点开查看每题点评）", "{n} done so far (open for each review)"),
    "code_result": ("代码评测结果", "Code result"),
    # sessions
    "sessions_title": ("面试记录", "Sessions"),
    "col_session": ("编号", "Session"),
    "col_plan": ("计划", "Plan"),
    "col_level": ("级别", "Level"),
    "col_state": ("状态", "State"),
    "col_progress": ("进度", "Progress"),
    "col_score": ("平均分", "Mean score"),
    "col_started": ("开始时间", "Started"),
    "from_terminal": ("终端", "terminal"),
    "no_sessions": ("还没有面试记录。", "No sessions yet."),
    "state_ready": ("未开始", "not started"),
    "state_awaiting_answer": ("进行中", "in progress"),
    "state_awaiting_grade": ("评分中", "grading"),
    "state_paused": ("已暂停", "paused"),
    "state_finished": ("已结束", "finished"),
    "report_link": ("报告", "report"),
    "continue_link": ("继续", "continue"),
    # report
    "report_title": ("面试评估报告", "Interview evaluation report"),
    "overall": ("总体", "Overall"),
    "verdict": ("结论", "Verdict"),
    "dimensions": ("五个维度", "Five dimensions"),
    "no_evidence": ("无证据（未考察）", "no evidence (not probed)"),
    "evidence": ("依据", "Evidence"),
    "strengths": ("优势", "Strengths"),
    "gaps": ("短板", "Gaps"),
    "study_plan": ("学习计划", "Study plan"),
    "download_md": ("下载 Markdown", "Download Markdown"),
    "download_json": ("下载 JSON", "Download JSON"),
    "print": ("打印", "Print"),
    "after_follow_up": ("追问后 {score}", "after the follow-up: {score}"),
    "in_progress_note": (
        "本轮尚未结束：报告只包含已评分的回答。",
        "The round is not over: the report covers the graded answers so far.",
    ),
    "answered_of": ("已评分 {answered}/{asked}", "{answered} of {asked} graded"),
    "references": (
        "参考答案（不会、跳过和得分低的题）",
        "Reference answers (don't know, skipped, weak)",
    ),
    "radar_title": ("五维雷达图", "Radar of the five dimensions"),
    # bank
    "bank_title": ("题库", "Question bank"),
    "area": ("领域", "Area"),
    "any": ("全部", "any"),
    "tag": ("标签", "Tag"),
    "search": ("搜索", "Search"),
    "filter": ("筛选", "Filter"),
    "n_questions": ("{n} 道题", "{n} questions"),
    "showing_first": ("只显示前 {n} 道", "showing the first {n}"),
    "show_answer": ("显示参考答案", "Show the reference answer"),
    "asked_as": ("也常这样问", "Also asked as"),
    "hide_answer": ("隐藏参考答案", "Hide the reference answer"),
    "reference_answer": ("参考答案", "Reference answer"),
    "key_points": ("要点", "Key points"),
    "misconceptions": ("常见误区", "Common misconceptions"),
    "follow_ups": ("追问", "Follow-ups"),
    "practise": ("练习这道题", "Practise this question"),
    "in_progress_secret": (
        "这道题正在你的面试 {id} 中等待回答：参考答案和要点在你回答并评分之后才显示。",
        "This question is waiting for your answer in session {id}: its reference answer and "
        "key points are shown once your answer is graded.",
    ),
    "required": ("必答", "required"),
    "weight": ("权重", "weight"),
    # grade
    "grade_title": ("单题评分", "Grade one answer"),
    "grade_intro": (
        "选一道题库里的题，写下回答，立即得到点评。不计入面试记录。",
        "Pick a bank question, write an answer, get the review at once. Not saved to a session.",
    ),
    "question_id": ("题目编号", "Question id"),
    "grade_button": ("评分", "Grade"),
    # exercises
    "exercises_title": ("手撕代码题", "Coding exercises"),
    "exercises_intro": (
        "在浏览器中运行代码的功能稍后提供。现在请在终端：gointerview exercise start ID DIR，"
        "然后 gointerview exercise check DIR。",
        "Running code in the browser comes later. For now, in the terminal: "
        "gointerview exercise start ID DIR, then gointerview exercise check DIR.",
    ),
    "minutes": ("{n} 分钟", "{n} min"),
    "topics": ("主题", "Topics"),
    "prompt": ("题目", "Prompt"),
    # sign-in and users
    "sign_in": ("登录", "Sign in"),
    "name": ("用户名", "Name"),
    "password": ("密码", "Password"),
    "bad_login": ("用户名或密码不对。", "Wrong name or password."),
    "too_many": (
        "登录失败次数过多，请 {minutes} 分钟后再试。",
        "Too many failed sign-ins: try again in {minutes} min.",
    ),
    "users_title": ("用户", "Users"),
    "role": ("角色", "Role"),
    "created": ("创建时间", "Created"),
    "add_user": ("添加用户", "Add a user"),
    "remove": ("删除", "Remove"),
    "remove_confirm": (
        "删除这个用户以及他的全部面试记录？",
        "Remove this user and every session of theirs?",
    ),
    "new_password": ("新密码", "New password"),
    "set_password": ("设置密码", "Set password"),
    "user_added": ("已添加用户 {name}。", "Added {name}."),
    "user_removed": ("已删除 {name}（{n} 条面试记录）。", "Removed {name} ({n} sessions)."),
    "password_set": (
        "已为 {name} 设置新密码，其登录已全部退出。",
        "New password for {name}; their sign-ins ended.",
    ),
    # errors
    "error_title": ("出错了", "Something is wrong"),
    "error_404": ("找不到这个页面或记录。", "There is no such page or record."),
    "error_500": (
        "服务器内部错误，已记录。请稍后再试。",
        "Something went wrong on our side; it has been logged. Please try again.",
    ),
    "too_large": (
        "请求太大：{size:,} 字节，上限 {limit:,} 字节（一个回答最多 {chars:,} 个字符）。"
        "没有保存任何内容；请缩短后重新提交。",
        "The request is too large: {size:,} bytes, at most {limit:,} are taken (an answer may "
        "have up to {chars:,} characters). Nothing was saved; shorten it and send it again.",
    ),
    "not_utf8": (
        "请求不是有效的 UTF-8 文本：请用 UTF-8 编码提交（浏览器表单默认如此）。没有保存任何内容。",
        "The request is not valid UTF-8 text: send it as UTF-8 (browser forms do). Nothing "
        "was saved.",
    ),
    "csrf_failed": (
        "缺少或错误的安全令牌（CSRF）：请刷新页面后重试。",
        "The security token (CSRF) is missing or wrong: reload the page and try again.",
    ),
    "admins_only": ("只有管理员可以管理用户。", "Only admins manage users."),
    "no_accounts": (
        "本机模式没有用户：用 gointerview users add NAME --role admin 添加，然后重启服务。",
        "Local mode has no accounts: add one with gointerview users add NAME --role admin, "
        "then restart the server.",
    ),
    "go_home": ("回到首页", "Back to the home page"),
    "go_back": ("返回上一页（你输入的内容还在那里）", "Go back (what you typed is still there)"),
}


def negotiate(chosen: str | None, accept_language: str | None, default: str) -> str:
    """The interface language: the user's choice, else the browser's first zh or en, else
    `default`."""
    if chosen in LANGS:
        return chosen
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else (default if default in LANGS else "en")


def translator(lang: str) -> Callable[..., str]:
    column = 0 if lang == "zh" else 1

    def t(key: str, **values: object) -> str:
        pair = MESSAGES.get(key)
        text = pair[column] if pair is not None else key
        return text.format(**values) if values else text

    return t
