"""Understanding a question once: parts, follow-ups, places compared (assistant/question.py)."""

import pytest


def test_a_question_is_understood_once_into_parts():
    from assistant.question import Vocabulary, understand

    asked = understand("请问低保怎么申请？请问低保怎么申请？")
    assert [p.text for p in asked.parts] == ["请问低保怎么申请"]
    two = understand("县里护理型床位占比是多少？国家的呢？", (),
                     Vocabulary(titles=frozenset({"社会救助暂行办法"})))
    assert len(two.parts) == 2 and two.parts[0].levels == ("县",)
    assert "国家" in two.parts[1].levels
    followup = understand("那农村的呢？", ["城市低保标准怎么定？"])
    assert followup.parts[0].text == "城市低保标准怎么定，那农村的呢？"
    colloquial = understand("我奶奶瘫痪在床能领什么补贴").parts[0]
    assert "重度残疾人" in colloquial.added and "重度残疾人" in colloquial.tokens
    fee = understand("登记结婚要钱吗").parts[0]  # 要钱 is asked like 花钱
    assert "收费" in fee.added and "收费" in fee.tokens
    named = understand("《社会救助暂行办法》什么时候施行", (),
                       Vocabulary(titles=frozenset({"社会救助暂行办法"}))).parts[0]
    assert named.documents == ("社会救助暂行办法",) and "date" in named.slots
    assert understand("   ").problem == "empty" and understand("hello").problem == "not_chinese"


@pytest.mark.parametrize("asked, text, problem", [
    ("結婚登記要帶什麼", "结婚登记要带什么", ""),  # traditional characters read as simplified
    ("養老機構護理型床位佔比2025年目標？", "养老机构护理型床位占比2025年目标？", ""),
    ("我奶奶瘫痪在床，家里困难，能领什么补贴?", "我奶奶瘫痪在床，家里困难，能领什么补贴?", ""),
    ("？？？！！。。", "？？？！！。。", "empty"),  # nothing to look up: not "ask in Chinese"
    ("😀😀😀", "😀😀😀", "empty"),
    ("hello", "hello", "not_chinese"),
])
def test_a_question_is_read_in_simplified_characters(asked, text, problem):
    from assistant.question import understand

    understood = understand(asked)
    assert (understood.text, understood.problem) == (text, problem)


@pytest.mark.parametrize("question, parts", [
    ("民乐县和国家的养老机构护理型床位占比目标分别是多少？",
     ["民乐县的养老机构护理型床位占比目标是多少？", "国家的养老机构护理型床位占比目标是多少？"]),
    ("国家和省里的低保标准增速目标各是多少", ["国家的低保标准增速目标是多少", "省里的低保标准增速目标是多少"]),
    ("浙江和江苏的低保标准分别是多少", ["浙江的低保标准是多少", "江苏的低保标准是多少"]),
    ("金牛区2020年农村低保标准和全国十三五末农村低保平均标准分别是多少",
     ["金牛区2020年农村低保标准是多少", "全国十三五末农村低保平均标准是多少"]),
    # two topics, not two places: one part, unless the same is asked of each (分别)
    ("低保和特困的认定条件是什么", ["低保和特困的认定条件是什么"]),
    ("居委会和村委会分别由几个人组成？", ["居委会由几个人组成？", "村委会由几个人组成？"]),
    ("结婚登记和离婚登记分别要带什么材料", ["结婚登记要带什么材料", "离婚登记要带什么材料"]),
    ("我和老伴都退休了，各自能领多少", ["我和老伴都退休了，各自能领多少"]),
    ("各级民政部门和财政部门的职责", ["各级民政部门和财政部门的职责"]),
    ("城市和农村的低保标准分别是多少", ["城市的低保标准是多少", "农村的低保标准是多少"]),
    ("低保以及特困分别怎么申请", ["低保怎么申请", "特困怎么申请"]),
    ("一级和二级残疾分别补贴多少", ["一级和二级残疾分别补贴多少"]),
])
def test_a_question_about_two_places_is_asked_of_each(question, parts):
    from assistant.split import compared_parts

    assert compared_parts(question, frozenset({"民乐县", "金牛区"})) == parts


@pytest.mark.parametrize("question, parts", [
    ("民乐县社会组织2020年底登记了多少个，到2025年规划是多少家？",
     ["民乐县社会组织2020年底登记了多少个", "民乐县社会组织2020年底登记了多少个，到2025年规划是多少家"]),
    ("全国社会工作专业人才十三五末有多少，十四五末目标是多少",
     ["全国社会工作专业人才十三五末有多少", "全国社会工作专业人才十三五末有多少，十四五末目标是多少"]),
    # a clause naming its own topic stands alone
    ("十三五末全国养老机构和设施有多少个？养老床位有多少张", ["十三五末全国养老机构和设施有多少个", "养老床位有多少张"]),
    # 谁 asks as 什么 and 哪 do
    ("孤儿生活费一个月多少，找谁去申请", ["孤儿生活费一个月多少", "孤儿生活费一个月多少，找谁去申请"]),
    # asked of the document's record, it is the document named before
    ("那个规划的发文字号是什么？哪天印发的？", ["那个规划的发文字号是什么", "那个规划的发文字号是什么，哪天印发的"]),
])
def test_a_clause_that_names_nothing_of_its_own_asks_about_the_one_before(question, parts):
    from assistant.question import understand

    assert [p.text for p in understand(question).parts] == parts


@pytest.mark.parametrize("question, years", [
    ("民乐县社会组织党组织覆盖率2020年是多少，2025年要达到多少", [("2020",), ("2025",)]),
    ("2020年城市低保标准是多少？农村的呢？", [("2020",), ("2020",)]),
])
def test_a_part_asks_the_years_it_names_else_those_it_keeps(question, years):
    from assistant.question import understand

    assert [p.years for p in understand(question).parts] == years


@pytest.mark.parametrize("slot, sentence, held", [
    ("materials", "办理结婚登记的内地居民应当出具本人的户口簿、身份证。", True),
    ("materials", "收养人应当向收养登记机关提交收养申请书和下列证件、证明材料。", True),
    ("materials", "国家保证老年人依法享有的权益。", False),  # 保证 is no document to bring
    ("conditions", "申请人应当符合下列条件。", True),
    ("conditions", "对无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人的老年人，给予特困人员供养。", True),
    ("conditions", "赡养人应当妥善安排老年人的住房。", False),  # a duty is no condition of who qualifies
    ("conditions", "民政部门的工作人员在社会救助工作中滥用职权的，依法给予处分。", False),  # a 的 is no condition
    ("definition", "本办法所称特困人员，是指无劳动能力、无生活来源的老年人。", True),
    ("definition", "县级人民政府民政部门负责指导本行政区域的志愿服务工作。", False),  # 指导 defines nothing
    # "算不算…" is answered by what counts as what
    ("definition", "退役士兵服现役年限计算为工龄。", True),
    ("definition", "优待抚恤金不计入申请人收入。", True),
    ("where", "办理收养登记的机关是县级人民政府民政部门。", True),
    ("where", "男女双方应当共同到内地居民常住户口所在地的婚姻登记机关办理结婚登记。", True),
    ("where", "县级以上地方各级人民政府民政部门主管本行政区域内的农村五保供养工作。", True),
    ("where", "委托书应当经过村民委员会或者居民委员会证明或者经过公证。", True),
    ("contact", "救助热线电话：12345。", True),
    # a number or an address is contact; the word for one is not
    ("contact", "公开举报投诉电话、电子邮箱、网络平台等联系方式。", False),
    # an office named in passing is no place to go
    ("where", "配合相关部门加大对不依法履行监护权的父母的处置力度。", False),
    # a procedure is answered by a step; a plan that names a procedure does not describe it
    ("procedure", "由共同生活的家庭成员向户籍所在地的乡镇人民政府、街道办事处提出书面申请。", True),
    ("procedure", "乡镇人民政府、街道办事处应当自受理申请之日起10个工作日内审核。", True),
    ("procedure", "审核后予以公示。", True),
    ("procedure", "持收养登记证到户口登记机关办理。", True),
    # a guide's chain of steps
    ("procedure", "办理流程：初审→受理→审查→登记(发证)", True),
    ("procedure", "申请(个人或委托他人)——递交村委会通过——乡镇人民政府审核——入户调查", True),
    ("procedure", "1993年→2003年", False),
    ("procedure", "完善低保制度,制定低保审核确认办法,规范低保对象认定程序,提高科学性和精准度。", False),
    ("procedure", "有条件的地区积极推行持有居住证人员在居住地申请低保。", False),
    # a date is a day named, or the day an event takes effect; a deadline counted from a day is not
    ("date", "每年农历九月初九为老年节。", True),
    ("date", "收养关系自登记之日起成立。", True),
    ("date", "应当自名单公布之日起五日内向村民选举委员会申诉。", False),
    # a period in Chinese numerals, 两 and 百 among them
    ("duration", "对超过两年无人认领的骨灰，殡仪馆应当向社会公告。", True),
    ("duration", "自收到申请之日起一百八十日内作出决定。", True),
    ("duration", "半年内未领取的，视为放弃。", True),
    ("age", "一百周岁以上的老年人。", True),
    # when payment starts is a date too
    ("date", "经审批同意的，自批准之次月起计发最低生活保障金。", True),
    ("date", "新申请残疾人两项补贴的，于审定合格后次月开始发放。", True),
])
def test_what_a_quote_must_hold_to_answer_the_slot_asked(slot, sentence, held):
    from assistant.slots import slots

    evidence = next(pattern for name, _, pattern in slots() if name == slot)
    assert bool(evidence.search(sentence)) == held


@pytest.mark.parametrize("question, fillers, kept", [
    ("低保边缘户到底是个啥，跟低保户有啥不一样", {"到底", "跟", "一样"}, {"低保户"}),
    ("领结婚证的时候能不能搞个颁证仪式", {"领", "时候", "搞个"}, {"结婚证", "颁证"}),
    ("婚介所收了钱不办事，政府管不管婚介", {"管不管", "不管"}, {"婚介所"}),
    # words asking when, how old, how long: what is asked, not what about
    ("老年节是几月几日", {"几月", "几日"}, {"年节"}),
    ("几岁可以领高龄津贴", {"几岁"}, {"高龄", "津贴"}),
    ("多大岁数才算老年人", {"岁数"}, {"老年人"}),
    ("多大年纪能领高龄津贴", {"年纪"}, {"高龄", "津贴"}),
    ("低保多久审核一次", {"多久"}, {"低保", "审核"}),
    # how a situation is told
    ("浙江什么情况下低保会被停掉", {"下", "情况下"}, {"低保", "停掉"}),
    ("孩子住院一下子多花了好多钱", {"一下子", "下子", "好多"}, {"住院"}),
    # 需要 asks, as 要 does: no regulation says it ("应当出具下列证件")
    ("离婚登记需要哪些材料", {"需要"}, {"离婚", "登记", "材料"}),
])
def test_how_people_talk_is_no_term_of_the_question(question, fillers, kept):
    """Colloquial fillers would weigh as the rarest words of the question, and a passage that
    answers it would seem to cover little of it."""
    from assistant.question import part

    terms = set(part(question).terms)
    assert not terms & fillers and kept <= terms


@pytest.mark.parametrize("history, question, slots", [
    # a follow-up that asks something of its own asks that, about the earlier topic
    ("北京的高龄津贴每个月发多少钱？", "那要去哪里办？", ("where",)),
    ("收养孩子要满足什么条件？", "那要带什么材料？", ("materials",)),
    # one that asks nothing of its own asks what the earlier question asked
    ("城市低保标准是多少？", "那农村的呢？", ("amount",)),
])
def test_a_follow_up_asks_its_own_slot_about_the_earlier_topic(history, question, slots):
    from assistant.question import understand

    (resolved,) = understand(question, [history]).parts
    assert resolved.slots == slots
    assert history.rstrip("？") in resolved.text
    # the same two questions in one message: the second asks its own slot too
    second = understand(f"{history}{question}").parts[-1]
    assert second.slots == slots and history.rstrip("？") in second.text


@pytest.mark.parametrize("question, terms", [
    ("村委会一届干几年", ("村委", "委会", "村委会", "干")),  # not 一届, not 几年 (what is asked)
    ("一次性退役金怎么算", ("一次性", "退役", "金", "算")),
    ("县里低保标准", ("县里", "低保", "标准", "低保标准")),
    ("现在城市低保标准是多少", ("城市", "低保", "标准", "低保标准")),  # 现在 asks when, not what
])
def test_the_terms_a_question_is_about(question, terms):
    from assistant.question import content_terms

    assert content_terms(question) == terms


@pytest.mark.parametrize("clause, anew", [
    ("能连任吗", True),  # asks yes or no itself: not the period the question before asked
    ("在哪儿办", True),
    ("那农村的呢", False),  # asks again what was asked before
])
def test_a_later_clause_that_asks_something_itself_asks_that(clause, anew):
    from assistant.split import asks_anew

    assert asks_anew(clause) == anew


@pytest.mark.parametrize("history, turn, resolved", [
    ("城市低保标准怎么定？", "那农村的呢？", "城市低保标准怎么定，那农村的呢？"),
    ("低保怎么申请？", "能在网上办吗？", "低保怎么申请，能在网上办吗？"),  # names nothing of its own
    ("低保怎么申请？", "要带什么材料", "低保怎么申请，要带什么材料"),  # names only what it asks for
    ("离婚登记去哪办？", "需要哪些证件？", "离婚登记去哪办，需要哪些证件？"),
    # a new question that happens to be short and end in 吗 is not glued to the one before
    ("民乐县和国家的养老机构护理型床位占比目标分别是多少？", "结婚登记要花钱吗", "结婚登记要花钱吗"),
])
def test_a_turn_follows_up_the_one_before_only_when_it_says_so(history, turn, resolved):
    from assistant.question import understand

    assert understand(turn, [history]).parts[0].text == resolved


@pytest.mark.parametrize("history, resolved", [
    # a follow-up of a follow-up keeps the turn that named the topic
    (["临时救助怎么申请", "要带什么材料"], "临时救助怎么申请，要带什么材料，多久能批下来"),
    # a turn that names its own topic starts anew
    (["低保怎么申请", "临时救助怎么申请"], "临时救助怎么申请，多久能批下来"),
])
def test_a_follow_up_keeps_the_turns_back_to_the_one_naming_its_topic(history, resolved):
    from assistant.question import understand

    assert understand("多久能批下来", history).parts[0].text == resolved


@pytest.mark.parametrize("question, parts", [
    ("孤儿的保障标准和认定条件", ["孤儿的保障标准", "孤儿的认定条件"]),  # an amount and who qualifies
    ("特困人员的认定条件和供养标准是什么？", ["特困人员的认定条件", "特困人员的供养标准是什么"]),
    ("民乐县的孤儿的保障标准和认定条件", ["民乐县的孤儿的保障标准", "民乐县的孤儿的认定条件"]),
    # a later part naming only the kind of thing it asks keeps the subject of the one before
    ("低保怎么申请？要带什么材料", ["低保怎么申请", "低保怎么申请，要带什么材料"]),
    # 东西 (a thing) names no topic either
    ("低保钱是按月发吗？能不能发东西代替", ["低保钱是按月发吗", "低保钱是按月发吗，能不能发东西代替"]),
    ("结婚登记的材料和证件", ["结婚登记的材料和证件"]),  # the same kind of thing twice: one ask
    ("养老机构的护理型床位占比和覆盖率", ["养老机构的护理型床位占比和覆盖率"]),  # nothing of a kind asked
])
def test_two_things_of_different_kinds_asked_of_one_subject_are_two_parts(question, parts):
    from assistant.question import understand

    assert [p.text for p in understand(question).parts] == parts


@pytest.mark.parametrize("question, asks", [
    ("清明回不去老家，能网上祭扫吗？", "能网上祭扫吗"),
    ("两口子闹离婚，民政那边有没有离婚辅导", "民政那边有没有离婚辅导"),
    ("低保怎么申请", "低保怎么申请"),
])
def test_the_last_clause_asks_what_the_ones_before_tell(question, asks):
    from assistant.question import last_clause

    assert last_clause(question) == asks


@pytest.mark.parametrize("question, terms", [
    ("清明回不去老家，能网上祭扫吗", {"网上", "祭扫"}),  # what it asks, apart from what it tells
    # a last clause naming only what it asks for asks it of the whole question
    ("城镇居民怎么申请低保，流程是啥", {"城镇", "居民", "城镇居民", "申请", "低保", "流程"}),
    ("低保怎么申请", {"低保", "申请"}),
])
def test_the_judge_weighs_the_terms_of_the_last_clause_that_names_something(question, terms):
    from assistant.question import clause_terms, understand

    asked = understand(question).parts[0]
    assert set(clause_terms(dict(zip(asked.terms, asked.alternatives)), asked.text)) == terms


@pytest.mark.parametrize("question, asking", [
    ("两口子想离婚要带啥", {"带": "materials"}),  # regulations2 dev h038's kind
    ("结婚登记要花钱吗", {"花钱": "fee"}),
    ("去哪里开证明", {"证明": "materials"}),
    ("骗低保被查出来要罚多少钱", {"罚": "penalty"}),  # 罚 asks the penalty; 钱 asks a number
    # any figure would hold 钱: a number's slot has no asking words; the period asked has
    ("一年能领多少钱", {"一年": "period:年"}),
])
def test_the_words_that_only_ask_for_a_slot(question, asking):
    from assistant.question import understand

    assert dict(understand(question).parts[0].asking_words) == asking


def test_a_word_that_asks_for_materials_is_held_by_the_materials_listed():
    from assistant.question import coverage, understand

    part = understand("我们想离婚要带什么").parts[0]
    terms = dict(zip(part.terms, part.alternatives))
    listed = "办理离婚登记的内地居民应当出具下列证件和证明材料：本人的户口簿、身份证"
    unlisted = "办理离婚登记的当事人应当共同到婚姻登记机关申请"
    assert coverage(terms, lambda t: 1.0, listed, part.asking_words) == 1.0
    assert coverage(terms, lambda t: 1.0, unlisted, part.asking_words) == 0.5
    # naming 证明材料 is not listing what to bring (data/slot_answers.tsv)
    named = "完善婚姻登记智能咨询、网上预约证明材料预审服务"
    assert coverage(terms, lambda t: 1.0, "离婚" + named, part.asking_words) == 0.5


@pytest.mark.parametrize("term, first", [
    ("孩子", ("孩子", "儿童", "未成年人", "子女")),  # its own mapping, not 继子女 of 带过来的孩子
    ("瘫痪在床", ("瘫痪在床", "重度残疾人")),  # a phrase it holds (瘫痪)
])
def test_a_terms_own_policy_words_come_first(term, first):
    from assistant.question import alternatives

    assert alternatives(term)[:len(first)] == first


@pytest.mark.parametrize("question, read", [
    ("民乐县有什么办法管一管？", "民乐县有什么办法管？"),
    ("区里有没有说要给村里减减负", "区里有没有说要给村里减负"),
    ("能不能让小区居民也用用", "能不能让小区居民也用"),
    # doubled words that are no verb stay
    ("我妈妈常常去", "我妈妈常常去"),
    ("天天有人上门", "天天有人上门"),
    ("一步一步来", "一步一步来"),
    # a doubled stopword stays: said once it would become a term
    ("平时有没有人上门看看", "平时有没有人上门看看"),
])
def test_a_doubled_verb_is_read_once(question, read):
    """"管一管" asks what "管" asks; doubled, it made terms no document holds (一管, 管一管)."""
    from assistant.question import unreduplicated

    assert unreduplicated(question) == read


@pytest.mark.parametrize("token, word", [
    ("能领", "领"), ("能罚", "罚"), ("要交", "交"), ("该交", "交"),  # glued by jieba's HMM
    ("能力", "能力"), ("要求", "要求"), ("可以", "可以"), ("得到", "得到"),  # words of its dictionary
    ("领取", "领取"),
    ("期是", "期"), ("期有", "期"),  # a copula glued to the word before ("冷静期是多少天")
    ("还是", "还是"), ("具有", "具有"), ("只有", "只有"),
    ("费能", "费"), ("证要", "证"),  # a modal glued to the noun before ("墓碑费能报销吗", "扯证要带啥")
    ("可能", "可能"), ("不能", "不能"), ("只能", "只能"), ("需要", "需要"), ("总会", "总会"),
])
def test_a_modal_glued_to_its_verb_is_cut_off(token, word):
    from assistant.keyword import unglued

    assert unglued(token) == word


def test_a_follow_up_naming_another_article_asks_that_one():
    """"第十条呢" after "…条例第八条是什么？" had been answered with 第八条 again."""
    from assistant.question import Vocabulary, understand

    asked = understand("第十条呢", ["某某条例第八条是什么？"], Vocabulary(titles=frozenset({"某某条例"})))
    assert [p.articles for p in asked.parts] == [("第十条",)]
    assert asked.parts[0].documents == ("某某条例",)


@pytest.mark.parametrize("message, kept", [
    ("特困人员怎么认定？", "特困人员怎么认定？"),
    # over 300 characters: the end, from the first clause that starts near the cut
    ("我家住在农村，" * 50 + "能领什么补贴？", ("我家住在农村，" * 50 + "能领什么补贴？")[-300:].split("，", 1)[1]),
])
def test_a_long_message_keeps_its_end(message, kept):
    from assistant.question import MAX_QUESTION, sanitize

    assert sanitize(message) == kept and len(sanitize(message)) <= MAX_QUESTION


@pytest.mark.parametrize("question, places", [
    # a later clause naming only what it asks for is of the subject before it: not another
    # county's phone number
    ("如东县婚姻登记处在哪条路上，电话多少", ("如东县",)),
    ("金牛区养老服务中心在哪，联系方式是什么", ("金牛区",)),
])
def test_a_later_clause_asking_only_a_contact_keeps_the_subject(question, places):
    from assistant.question import understand

    parts = understand(question).parts
    assert len(parts) == 2 and parts[1].places == places


@pytest.mark.parametrize("question, text, held", [
    ("离婚冷静期是多少天", "自次日开始计算30日", True),  # 天 asked, 日 stated
    ("离婚登记要交几张照片", "照片为2张2寸近期单人半身免冠照片", True),
    ("民政办下午几点到几点上班", "下午2:30-5:30", True),
    ("90多岁的老人高龄津贴多少", "90-99周岁400元/月", True),
    ("90多岁的老人高龄津贴多少", "80-89周岁100元/月", False),  # another band
    ("八十五岁老人有什么补贴", "80—89周岁的老年人", True),
    ("护理假能请多少天", "给予一定时间的护理照料假", False),  # no number of days
    # a sum for the period asked
    ("住院照料临时救助一天给多少", "住院照料临时救助标准不超过240元/人/日", True),
    ("农村低保一年多少钱", "农村低保标准调整为:5832元/人/年", True),
    ("孤儿一个月给多少钱", "散居孤儿每人每年发放11040元", False),
])
def test_a_number_asked_in_a_measure_is_held_by_a_number_in_it(question, text, held):
    from assistant.question import coverage, understand

    part = understand(question).parts[0]
    # 天, 几张, 90 多岁; 几点 asks office hours, held by a time as well
    asked = {t for t, slot in part.asking_words if ":" in slot or slot == "hours"}
    assert asked
    terms = {t: (t,) for t in asked}
    assert (coverage(terms, lambda t: 1.0, text, part.asking_words) == 1.0) is held


@pytest.mark.parametrize("question, hours", [
    ("某县婚姻登记中心周六上班吗", True),
    ("夏天去民政局领证，下午几点上班", True),
    ("婚姻登记处周末上班吗？", True),
    ("办公时间是几点到几点", True),
    # working there, not when it opens
    ("有虐待儿童前科的人，能去未成年人保护中心上班吗？", False),
    ("低保一个月多少钱", False),
])
def test_office_hours_asked(question, hours):
    from assistant.question import part

    assert ("hours" in part(question).slots) is hours


@pytest.mark.parametrize("question, parts", [
    # a space between clauses typed on a phone is the comma left out
    ("志愿服务时长证明找谁开 要收钱吗", ["志愿服务时长证明找谁开", "志愿服务时长证明找谁开，要收钱吗"]),
    ("收养的材料交上去了 多久能办下来", ["收养的材料交上去了，多久能办下来"]),
    ("low bao 怎么办", ["low bao 怎么办"]),  # not between Chinese characters
])
def test_a_space_between_clauses_is_read_as_a_comma(question, parts):
    from assistant.question import understand

    assert [p.text for p in understand(question).parts] == parts
