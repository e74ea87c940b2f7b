"""The Gradio chat page (工会建会入会政策助手), built per assistant and mounted on the API app at /."""

from __future__ import annotations

import html
import logging
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr
from fastapi import FastAPI

from assistant.config import LIMITS
from assistant.feedback import FeedbackStore
from assistant.feedback.store import Rating
from assistant.index.chroma import IndexUnavailable
from assistant.ui.render import render_reply, sources_line

if TYPE_CHECKING:
    from assistant.core import AssistantLike

log = logging.getLogger(__name__)
TITLE = "工会建会入会政策助手"

# Topic → example questions (written from the sources; each is answered from the corpus without an LLM).
EXAMPLES: dict[str, list[str]] = {
    "会计师事务所": [
        "我们会计师事务所有18名会员，可以单独建工会吗？",
        "会计师事务所女职工多，要不要单设女职工委员会？",
        "注册会计师行业基层工会联合会可以依托哪个机构建立？",
    ],
    "劳务派遣工": [
        "派遣工应该先入哪边的工会？",
        "派遣公司根本没建工会，派遣工怎么入会？",
        "派遣工的工会经费谁出、交到哪？",
    ],
    "工会经费": [
        "企业按工资总额的几个点给工会拨经费？",
        "拨给工会的经费能不能税前扣除？",
        "单位一直拖着不拨工会经费，工会能怎么办？",
    ],
    "出租车": [
        "出租车公司司机太少，单独建不了工会怎么办？",
        "个体出租车司机想入会找谁？",
        "出租车行业工会归哪个产业工会管？",
    ],
    "改制": [
        "国企改制的时候能不能把工会撤掉？",
        "企业重组了，工会主席要不要重新选？",
        "企业关门了，工会的钱和财产归谁？",
    ],
    "农民工": [
        "村办企业里打工的农民工怎么组织入会？",
        "农民工会员到底算在哪边统计？",
        "农民工能不能用手机APP申请入会？",
    ],
}

CSS = """
.ua-sources { font-size: 0.85em; color: var(--body-text-color-subdued); line-height: 1.6; }
.ua-status { display: inline-block; font-size: 0.8em; padding: 0 0.5em; border-radius: 4px;
             background: var(--color-accent-soft); margin-bottom: 0.3em; }
.ua-rewritten { font-size: 0.85em; color: var(--body-text-color-subdued); margin-top: 0.4em; }
.ua-ask { margin-top: 0.5em; padding: 0.4em 0.6em; border-left: 3px solid var(--color-accent); }
.ua-basis, .ua-trace { margin-top: 0.6em; }
.ua-basis > summary, .ua-trace > summary { cursor: pointer; font-weight: 600; }
.ua-cite { margin: 0.5em 0 0.8em; }
.ua-cite-head code { font-size: 0.8em; }
.ua-tier { font-size: 0.8em; padding: 0 0.4em; border: 1px solid var(--border-color-primary); border-radius: 4px; }
.ua-superseded { font-size: 0.8em; padding: 0 0.4em; color: #fff; background: #b42318; border-radius: 4px; }
.ua-note { font-size: 0.8em; color: var(--body-text-color-subdued); }
.ua-quote { margin: 0.3em 0 0.3em 0.2em; padding-left: 0.6em; border-left: 3px solid var(--border-color-primary); }
"""


def _history(turns: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The stateless history the assistant expects: plain question and answer texts, newest last, capped."""
    messages: list[dict[str, str]] = []
    for turn in turns:
        messages.append({"role": "user", "content": str(turn["question"])})
        messages.append({"role": "assistant", "content": str(turn["reply"].get("answer", ""))})
    return messages[-LIMITS.history_turns:]


class ChatPage:
    """Event handlers with their assistant and feedback store; the Blocks come from `build()`."""

    def __init__(self, bot: AssistantLike, feedback: FeedbackStore) -> None:
        self.bot = bot
        self.feedback = feedback

    def respond(
        self, message: str, chat: list[dict[str, Any]], turns: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
        question = (message or "").strip()
        if not question:
            gr.Warning("请输入要咨询的问题。", title="提示")
            return chat, turns, message
        if (problem := LIMITS.question_problem(question)) is not None:
            gr.Warning(problem, title="提示")
            return chat, turns, message
        # The page may have cleared the chat before the clear event reached the server: trust what is shown.
        turns = turns[: len(chat) // 2]
        history = _history(turns)
        try:
            reply = self.bot.ask(question, history).to_dict()
        except IndexUnavailable:  # keep the question in the box: it can be sent again once the store is back
            gr.Warning("检索服务暂时不可用，请稍后重试。", title="提示")
            return chat, turns, message
        turns = [*turns, {"question": question, "reply": reply, "history": history}]
        chat = [
            *chat,
            {"role": "user", "content": html.escape(question)},
            {"role": "assistant", "content": render_reply(reply)},
        ]
        return chat, turns, ""

    def rate(self, turns: list[dict[str, Any]], conversation: str, data: gr.LikeData) -> None:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = int(index) // 2  # messages alternate question, answer
        if not 0 <= turn < len(turns):
            return
        if data.liked == "":  # the same thumb clicked again: the rating is withdrawn
            self.feedback.remove(conversation=conversation, turn=turn)
            return
        rating: Rating = "up" if data.liked is True else "down"
        t = turns[turn]
        self.feedback.rate(
            conversation=conversation,
            turn=turn,
            rating=rating,
            question=t["question"],
            reply=t["reply"],
            history=t["history"],
            source="ui",
        )
        gr.Info("感谢反馈，已记录。", title="反馈")

    def eval_report(self) -> str:
        from assistant.eval.report import as_iframe, latest_report_html

        page = latest_report_html(self.bot.settings.data_dir)
        if page is None:
            return "<p>还没有评测报告。运行 <code>assistant eval</code> 后刷新本页即可查看。</p>"
        return as_iframe(page)

    @staticmethod
    def new_conversation() -> tuple[list[dict[str, Any]], list[dict[str, Any]], str, str]:
        return [], [], uuid.uuid4().hex, ""

    def build(self) -> gr.Blocks:
        bot = self.bot
        with gr.Blocks(title=TITLE, analytics_enabled=False) as page:
            gr.HTML(
                f"<h1 style='margin:0'>{TITLE}</h1>"
                "<p style='margin:0.2em 0'>回答以《工会法》等法律法规和全总建会入会指导材料为依据，先给结论，"
                "再列出处原文。仅供参考，具体事务请以当地工会意见为准。</p>"
            )
            gr.HTML(sources_line(bot.store, bot.manifest, bot.settings.llm_model))
            with gr.Tab("咨询", elem_id="ua-tab-chat"):
                turns = gr.State([])
                conversation = gr.State(lambda: uuid.uuid4().hex)
                chat = gr.Chatbot(
                    label="对话",
                    height="62vh",
                    min_height=420,
                    layout="bubble",
                    feedback_options=("Like", "Dislike"),
                    buttons=["copy"],
                    elem_id="ua-chat",
                    placeholder="请在下方输入问题，或点选示例问题。每个回答下方可展开“依据”查看原文。",
                )
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="例如：我们会计师事务所有18名会员，可以单独建工会吗？",
                        show_label=False,
                        max_length=LIMITS.question_chars,
                        scale=8,
                        elem_id="ua-question",
                        autofocus=True,
                    )
                    send = gr.Button("发送", variant="primary", scale=1, elem_id="ua-send")
                    reset = gr.Button("新对话", scale=1, elem_id="ua-new")
                topics = list(EXAMPLES.items())
                with gr.Accordion("示例问题（点选后按“发送”）", open=True):
                    for row in (topics[:3], topics[3:]):
                        with gr.Row():
                            for topic, questions in row:
                                with gr.Column(min_width=260):
                                    gr.Examples([[q] for q in questions], inputs=[box], label=topic)
                events: dict[str, Any] = {
                    "fn": self.respond,
                    "inputs": [box, chat, turns],
                    "outputs": [chat, turns, box],
                    "concurrency_limit": 8,
                    "api_visibility": "private",
                }
                box.submit(**events)
                send.click(**events)
                reset.click(self.new_conversation, outputs=[chat, turns, conversation, box], api_visibility="private")
                # The chat's own clear button must forget the history too, or the next answer would still use it.
                chat.clear(self.new_conversation, outputs=[chat, turns, conversation, box], api_visibility="private")
                chat.like(self.rate, inputs=[turns, conversation], api_visibility="private")
            with gr.Tab("评测", elem_id="ua-tab-eval"):
                report = gr.HTML(elem_id="ua-eval")
            # Each page load shows the newest report (`assistant eval` writes them under the data dir).
            page.load(self.eval_report, outputs=[report], api_visibility="private")
        return page  # type: ignore[no-any-return]  # gradio's Blocks context manager is untyped


def mount_ui(app: FastAPI, bot: AssistantLike, feedback: FeedbackStore | None = None, path: str = "/") -> FastAPI:
    """Mount the chat page; call after every API route is registered, since a mount at / matches everything else."""
    data_dir: Path = bot.settings.data_dir
    store = feedback if feedback is not None else FeedbackStore.in_data_dir(data_dir)  # an empty store is falsy
    page = ChatPage(bot, store).build()
    mounted: FastAPI = gr.mount_gradio_app(
        app, page, path=path, css=CSS, footer_links=[], run_history=False, show_error=False
    )
    return mounted
