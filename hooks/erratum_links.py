"""Build hook: every question heading gets a "report an error" link to a pre-filled GitHub issue.

The issue form (.github/ISSUE_TEMPLATE/erratum.yml) opens with the page URL and the question filled
in. The page-level button is in overrides/partials/actions.html.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

# attr_list writes attributes in sorted order: id= need not come first.
QUESTION = re.compile(
    r'(<h2[^>]*?\sid="(?P<id>[^"]+)"[^>]*>)(?P<title>.*?)(<a class="(?:headerlink|anchor-link)"[^>]*>.*?</a>)?</h2>',
    re.S,
)
ICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">'
    '<path d="M13 14h-2V9h2m0 9h-2v-2h2M1 21h22L12 2z"/></svg>'
)
CLOSING_SECTIONS = {"相关条目", "参考文献"}


def erratum_url(repo_url: str, page_url: str, question: str) -> str:
    query = urlencode(
        {"template": "erratum.yml", "title": f"[纠错] {question}", "page": page_url, "question": question}
    )
    return f"{repo_url.rstrip('/')}/issues/new?{query}"


def add_links(content: str, repo_url: str, page_url: str) -> str:
    def link(match: re.Match) -> str:
        title = html.unescape(re.sub(r"<[^>]+>", "", match.group("title"))).strip()
        if title in CLOSING_SECTIONS:
            return match.group(0)
        url = html.escape(erratum_url(repo_url, f"{page_url}#{match.group('id')}", title))
        report = f'<a class="md-question-report" href="{url}" title="报告这道题的错误" aria-label="报告这道题的错误">{ICON}</a>'
        return match.group(0)[: -len("</h2>")] + report + "</h2>"

    return QUESTION.sub(link, content)


def on_page_content(content, page, config, files):
    if not config.repo_url or "/" not in page.file.src_uri:
        return content
    return add_links(content, config.repo_url, page.canonical_url or page.url)
