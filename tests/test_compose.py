"""The composed answer: its first line, verdicts and notes (assistant/compose.py)."""

import pytest


@pytest.mark.parametrize("question, quote, first", [
    ("申请特困人员供养应当向哪里提出？",
     "第十六条 申请特困人员供养，由本人向户籍所在地的乡镇人民政府、街道办事处提出书面申请；"
     "本人申请有困难的，可以委托村民委员会、居民委员会代为提出申请。",
     "申请特困人员供养，由本人向户籍所在地的乡镇人民政府、街道办事处提出书面申请。"),
    ("政府投资兴办的养老机构应当优先保障哪些老年人？",
     "第四十一条 政府投资兴办的养老机构，应当优先保障经济困难的孤寡、失能、高龄等老年人的服务需求。", ""),
    ("特困人员怎么申请", "特困人员供养。申请特困人员供养。", ""),
    # an item leads with the lead-in it belongs to: alone, a prohibited act read as permitted
    ("未成年人能买彩票吗", "第十八条 彩票代销者不得有下列行为：\n(一)委托他人代销彩票；\n"
     "(三)向未成年人销售彩票。", "彩票代销者不得有下列行为：(三)向未成年人销售彩票。"),
    # ... unless that makes the line long and the lead-in forbids nothing: the item alone
    ("北京社区能给老人送饭吗", "第五条 本市各级人民政府及其有关部门、社会组织和企业应当为居住在家的"
     "老年人提供的居家养老服务主要包括以下内容：\n（一）为老年人提供社区老年餐桌、定点餐饮、"
     "自助型餐饮配送等用餐服务；\n（二）提供家庭保洁服务。",
     "为老年人提供社区老年餐桌、定点餐饮、自助型餐饮配送等用餐服务。"),  # without its mark
    ("某市因病致贫的家庭最多能救助几个月", "三是对救助标准的上限和下限进行了重新设定,最高救助30个月。"
     "四是取消民主评议环节。", "对救助标准的上限和下限进行了重新设定,最高救助30个月。"),
    # a number asked: the sentence stating one, not its neighbour holding the slot's word only
    ("在路边捡了个娃想自己养，要公告多长时间",
     "收养查找不到生父母的弃婴的，收养登记机关应当在登记前公告查找其生父母；自公告之日起满60日，"
     "弃婴的生父母未认领的，视为查找不到生父母的弃婴。公告期间不计算在登记办理期限内。",
     "自公告之日起满60日，弃婴的生父母未认领的，视为查找不到生父母的弃婴。"),
    # an item ending in a half-width semicolon ends as a sentence, once
    ("冷藏费能补多少钱", "可申报项目：\n(1)遗体运接费,最高补贴额度390元;\n(2)冷藏(冻)费,最高补贴额度300元;",
     "可申报项目：(2)冷藏(冻)费,最高补贴额度300元。"),
    # asked whether one may: the sentence that says whether one may, of two naming as much
    ("我在外地打工，村里选举能让我爸替我投票吗",
     "另行选举的，第一次投票未当选的人员得票多的为候选人，候选人以得票多的当选。"
     "登记参加选举的村民，选举期间外出不能参加投票的，可以书面委托本村有选举权的近亲属代为投票。",
     "登记参加选举的村民，选举期间外出不能参加投票的，可以书面委托本村有选举权的近亲属代为投票。"),
])
def test_the_first_line_answers_in_a_sentence_that_says_something_new(question, quote, first):
    from assistant.firstline import lead
    from assistant.question import part

    assert lead(part(question), quote, lambda term: 1.0) == first


@pytest.mark.parametrize("sentence, permitted", [
    ("可以书面委托本村有选举权的近亲属代为投票。", True),
    ("确有困难的，可以缓交。", True),  # a permission under a condition
    # a permission word that only describes a case permits nothing
    ("按照规划允许土葬或者允许埋葬骨灰的，墓穴占地面积由省人民政府规定。", False),
    ("不可以代为办理。", False),
])
def test_a_sentence_permits(sentence, permitted):
    from assistant.firstline import permits

    assert permits(sentence) == permitted


@pytest.mark.parametrize("sentence, says", [
    ("可以书面委托本村有选举权的近亲属代为投票。", True),
    ("村民委员会成员及其近亲属不得担任村务监督机构成员。", True),
    # a prohibition of those who did something says nothing of those who did not
    ("已在户籍所在村登记参加选举的村民，不得再参加其他地方村民委员会的选举。", False),
    ("候选人以得票多的当选。", False),
])
def test_a_sentence_says_whether_one_may(sentence, says):
    from assistant.firstline import says_may

    assert says_may(sentence) == says


@pytest.mark.parametrize("question, quote, said", [
    ("子女能要求老人干重活吗", "赡养人不得要求老年人承担力不能及的劳动。", "不可以，文件明确禁止。"),
    ("社会救助资金可以被挪作他用吗？", "社会救助资金实行专项管理，任何单位或者个人不得挤占挪用。", "不可以，文件明确禁止。"),
    ("单位领导硬派我们去当志愿者，这样合规吗", "任何组织和个人不得强行指派志愿者、志愿服务组织提供服务。", "不合规，文件明确禁止。"),
    # permitted: "可以", and under a condition the first line says so
    ("县级以上地方人民政府能否向社会力量购买社会救助服务？",
     "第五十四条 县级以上地方人民政府可以将社会救助中的具体服务事项通过委托、承包、采购等方式，向社会力量购买服务。",
     "可以。"),
    ("老人打官司交不起诉讼费，能免吗", "老年人因其合法权益受侵害提起诉讼交纳诉讼费确有困难的，可以缓交、减交或者免交。",
     "符合文件所说情形的，可以。"),
    ("我们兄弟几个商量轮流养老，老人不同意也能签协议吗", "经老年人同意，赡养人之间可以就履行赡养义务签订协议。",
     "符合文件所说情形的，可以。"),
    # the permission names what the last clause asks; the circumstances told before it need not
    ("家里出了车祸，顶梁柱住院了，日子一下子过不下去，能申请临时救助吗", "有下列情形之一的家庭，可以申请临时救助：",
     "符合文件所说情形的，可以。"),
    # ... but a prohibition must name most of the question: this one forbids something else
    ("儿子一分钱生活费都不给，老人能找他要赡养费吗", "赡养人不得以放弃继承权或者其他理由，拒绝履行赡养义务。", ""),
    # a permission on another matter is no answer
    ("低保户能不能出国旅游、买小汽车", "最低生活保障家庭可以申请临时救助。", ""),
    # "要不要", "必须" ask whether one must: a permission does not answer
    ("收养登记机关是否必须调查核实子女情况声明？", "对收养人出具的子女情况声明，登记机关可以进行调查核实。", ""),
    # a prohibition on another topic is no verdict on this one
    ("低保户能养宠物吗", "任何单位或者个人不得挤占挪用社会救助资金。", ""),
    # not a yes-no question
    ("志愿服务组织不得做什么", "不得向志愿服务对象收取或者变相收取报酬。", ""),
    # a limit forbids no one: 不得超过 had answered a 低保户 asking for 住房救助 "不可以"
    ("低保户能申请住房救助吗", "最低生活保障边缘家庭的人均月收入认定标准最高不得超过当地执行的月最低工资标准。", ""),
    # a prohibition of those who did something says nothing of the others
    ("户口在村里，人在外地打工，还能登记参加村委会选举吗",
     "已在户籍所在村或者居住村登记参加选举的村民，不得再参加其他地方村民委员会的选举。", ""),
    # a prohibition must name what the last clause asks, too
    ("低保户房子破了，能申请住房救助吗", "最低生活保障家庭不得隐瞒家庭收入。", ""),
])
def test_a_yes_no_question_is_answered_yes_or_no_first(question, quote, said):
    from assistant.firstline import verdict
    from assistant.question import part

    assert verdict(part(question), quote) == said


def test_a_figure_asked_for_now_is_given_with_its_date_and_a_caution():
    from types import SimpleNamespace

    from assistant.compose import _notes

    cited = SimpleNamespace(quote="农村低保标准由年3420元提高到4428元。",
                            hit=SimpleNamespace(date="2022-05-31", chunk=SimpleNamespace(kind="text")))
    now = _notes([cited], 2026, asks_now=True)
    assert "2022-05-31" in now[0] and "可能已经调整" in now[0]
    assert not any("可能已经调整" in note for note in _notes([cited], 2026))


@pytest.mark.parametrize("quote, ended", [
    ("《规划》主要发展指标（县级）：养老机构护理型床位占比——单位：%；2025年目标值：≥55；属性：约束性。", True),
    ("到2025年底，全县养老机构护理型床位占比达到55%的目标。", True),
    ("《某县规划》项目汇总表（县级）：殡仪馆建设项目——建设年限：2021-2023年；总投资：3000。", "规划"),
    # a table of the standards in force from a year is no plan's target that has run out
    ("《某县2024年社会救助标准》（县级）：项目：孤儿基本生活费；城市（元/月）：1500。", False),
])
def test_a_target_for_a_year_gone_is_said_to_be_a_target(quote, ended):
    from types import SimpleNamespace

    from assistant.compose import _notes

    kind = "table_row" if quote.startswith("《") else "text"
    doc_kind, ended = (ended, True) if ended == "规划" else ("", ended)
    cited = SimpleNamespace(quote=quote, hit=SimpleNamespace(date="2022-05-31", doc_kind=doc_kind,
                                                             chunk=SimpleNamespace(kind=kind)))
    assert any("该时期已经结束" in note for note in _notes([cited], 2030)) == ended


@pytest.mark.parametrize("question, passage, expected", [
    # a news item names its subject in one sentence and gives the answer in the next; the
    # subject's rare names outweigh the words of the answer
    ("某市养老服务发展规划设置了几项主要指标",
     "日前，《某市养老服务发展规划（2021-2025年）》经市政府常务会议审议通过，由市民政局正式印发。"
     "《规划》共设置12项主要指标，8项举措。主要指标包括护理型床位占比、家庭养老床位数等。",
     "12项主要指标"),
    ("某社区“三联”工作法里的三支队伍都是哪些",
     "近年来，某市某社区推行“三联”工作法，把党建融入社区治理的各个领域，推动社区各项事业全面发展。"
     "依托文明实践站用好三支队伍，即巡防队、志愿者服务队和宣传队。", "巡防队、志愿者服务队和宣传队"),
])
def test_a_quote_goes_on_to_what_the_passage_says_next(question, passage, expected):
    from assistant.quotes import pick_sentences
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    hit = Hit(chunk=Chunk(id="a", doc="a.txt", text=passage, section=("动态",), kind="text",
                          start=0, end=len(passage)), score=1.0)
    rare = {"规划", "某市", "三联", "工作法", "社区"}
    picked = pick_sentences(part(question), [hit], lambda term: 8.0 if term in rare else 1.0)
    assert expected in picked[0][1]


@pytest.mark.parametrize("question, sentence, answers", [
    ("独居老人的风险是按几档来分的", "生成高、中、低三档风险评估等级", True),
    ("独居老人的风险是按几档来分的", "此系统已经覆盖1444名独居老人", False),
    ("规划设置了几项主要指标", "《规划》共设置9项主要指标，9项举措", True),
    ("规划设置了几项主要指标", "《某市规划（2021-2025年）》发布", False),
    ("要交多少年", "到2025年基本建成", False),  # a period asked, a date stated
    ("一年能申请几次", "给予一次性临时救助", False),  # 一次性 is no count
])
def test_a_count_is_answered_by_a_number_in_the_measure_word_asked(question, sentence, answers):
    from assistant.quotes import counted

    assert counted(question, sentence) == answers


@pytest.mark.parametrize("question, quote, line", [
    ("民乐县规划的发文字号是什么", "民乐县人民政府办公室文件民政办发〔2022〕64号民乐县人民政府…",
     "民政办发〔2022〕64号。"),
    ("那个通知的文号是多少", "CXDR-2014-01002辰政办发〔2014〕6号辰溪县人民政府办公室各乡、镇:",
     "辰政办发〔2014〕6号。"),
    ("那个通知的文号是多少", "根据《某条例》(国务院令第21号)制定本办法。", ""),  # an order number is no 文号
    ("那个通知是哪天发的", "民政办发〔2022〕64号", ""),  # the number not asked
])
def test_the_document_number_asked_leads_as_written(question, quote, line):
    from assistant.firstline import document_number
    from assistant.question import part

    assert document_number(part(question), quote) == line


@pytest.mark.parametrize("question, quote, cut", [
    # the date it was issued, not the closing article above it nor the annex's caption below
    ("那个规划是哪天印发的", "全面提升民政综合服务能力。\n附件：重点项目表\n某县人民政府办公室2022年5月31日印发\n附件：",
     "某县人民政府办公室2022年5月31日印发"),
    # a field of the record the question names stays
    ("那个通知的发布时间和信息来源是什么", "发布时间:2014-03-05 09:18\n信息来源:法制办\n各乡、镇人民政府:",
     "发布时间:2014-03-05 09:18\n信息来源:法制办"),
    # no record asked: the quote as picked
    ("低保怎么申请", "向乡镇人民政府提出申请。\n附件：申请表", "向乡镇人民政府提出申请。\n附件：申请表"),
])
def test_a_documents_record_is_quoted_by_the_lines_stating_it(question, quote, cut):
    from assistant.question import part
    from assistant.quotes import of_record

    assert of_record(part(question), [("hit", quote)]) == [("hit", cut)]


@pytest.mark.parametrize("question, text, holds", [
    ("孤儿的保障标准提高到多少了", "孤儿保障标准由440元提高到1320元。", True),  # a number asked
    ("规划设置了几项主要指标", "《某市规划（2021-2025年）》发布。", False),  # a year is no count
    ("规划设置了几项主要指标", "《规划》共设置9项主要指标。", True),
    ("打热线能帮上什么忙", "将未成年人保护热线并入市长热线。", False),  # nothing countable asked
])
def test_a_quote_stops_growing_once_it_holds_the_number_asked(question, text, holds):
    from assistant.quotes import holds_answer
    from assistant.question import part

    assert holds_answer(part(question), text) == holds


@pytest.mark.parametrize("question, passage, held, left_out", [
    # a quote does not run on into what the question does not ask
    ("孤儿的保障标准提高到多少了",
     "“十三五”期间，某县孤儿保障标准由440元提高到1320元，保障孤弃儿童27人。"
     "建立留守儿童关爱保护和困境儿童保障工作联席会议制度，关爱保护在册留守儿童440名。",
     ("1320元",), ("联席会议",)),
    # a lead-in is quoted with the items it announces, in any passage
    ("某县办理离婚登记的当事人要出具哪些证件",
     "办理离婚登记的当事人应当出具下列证件：\n(一)本人的户口簿、身份证；\n(二)本人的结婚证；"
     "\n(三)双方当事人共同签署的离婚协议书。", ("结婚证", "离婚协议书"), ()),
])
def test_a_quote_holds_what_is_asked_and_no_more(question, passage, held, left_out):
    from assistant.quotes import pick_sentences
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    hit = Hit(chunk=Chunk(id="a", doc="a.txt", text=passage, section=("发展基础",), kind="text",
                          start=0, end=len(passage)), score=1.0)
    quote = pick_sentences(part(question), [hit], lambda term: 1.0)[0][1]
    assert all(h in quote for h in held) and not any(o in quote for o in left_out), quote


def test_a_sentence_from_a_passage_on_the_question_beats_one_sharing_a_word_from_another():
    """The orphan passage names the question's terms in its title and heading, its sentence
    only some; the funeral passage's sentence shares as many words by chance and outranked it
    (1 + 0.35 per rank is a mild discount)."""
    from assistant.quotes import pick_sentences
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    def hit(chunk_id, section, text, score):
        return Hit(chunk=Chunk(id=chunk_id, doc=f"{chunk_id}.txt", text=text, section=section,
                               kind="text", start=0, end=len(text)), score=score)

    orphan = hit("orphan", ("孤儿保障办法", "第三章 基本生活费"),
                 "县级民政部门按月将补助发放到孤儿本人账户。其他事项另行规定。", 0.9)
    funeral = hit("funeral", ("殡葬管理办法", "第五条 丧葬费用"),
                  "职工去世后，其生活费停止发放。丧葬费用由单位负担。", 0.6)
    picked = pick_sentences(part("孤儿基本生活费怎么发放"), [orphan, funeral], lambda term: 1.0)
    assert picked[0][0].chunk.id == "orphan"


def test_the_first_ranked_passage_quote_leads_when_it_is_quoted():
    """A sentence of the second passage shares more words with the question (带), but the
    ranking put the passage listing the materials first: its quote leads, the other follows."""
    from assistant.quotes import pick_sentences
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    def hit(chunk_id, text, score):
        return Hit(chunk=Chunk(id=chunk_id, doc=f"{chunk_id}.txt", text=text, section=("条例",),
                               kind="text", start=0, end=len(text)), score=score)

    first = hit("materials", "办理结婚登记的当事人应当出具下列材料：本人的户口簿、身份证。", 0.9)
    second = hit("visit", "结婚登记当天，除了要带的材料，还可以带亲友观礼。", 0.8)
    picked = pick_sentences(part("结婚登记要带什么材料"), [first, second], lambda term: 1.0)
    assert [h.chunk.id for h, _ in picked][:2] == ["materials", "visit"]

    # not ahead of the sentence stating the number asked, when its own states none
    housing = hit("housing", "孤儿保障标准调整后，符合住房保障条件的孤儿及时纳入保障范围。", 0.9)
    amount = hit("amount", "孤儿保障标准由440元提高到1320元。", 0.8)
    picked = pick_sentences(part("孤儿的保障标准是多少"), [housing, amount], lambda term: 1.0)
    assert picked[0][0].chunk.id == "amount"

    # nor ahead of the sentence saying what a fee asked is, when its own says nothing of fees
    flow = hit("flow", "探索将颁证仪式引入结婚登记流程。", 0.9)
    fee = hit("fee", "婚姻登记收费全面取消。", 0.8)
    picked = pick_sentences(part("结婚登记要花钱吗"), [flow, fee], lambda term: 1.0)
    assert picked[0][0].chunk.id == "fee"

    # nor ahead of the line dating the document, asked when it was issued
    opening = hit("opening", "为此，市民政局向广大市民发起关爱流浪乞讨人员倡议：", 0.9)
    signed = hit("signed", "市民政局2020年12月29日", 0.8)
    picked = pick_sentences(part("市民政局那个流浪乞讨的倡议是哪天发的"), [opening, signed], lambda term: 1.0)
    assert picked[0][0].chunk.id == "signed"


@pytest.mark.parametrize("question, sentence, bonus", [
    # a period asked is stated as one: 3个月 is, a multiple (1-2倍) is no period
    ("因病致贫的家庭最少能救助几个月", "提高至最低救助3个月低保标准。", 2.0),
    ("因病致贫的家庭最少能救助几个月", "人均收入在低保标准1-2倍之间的家庭。", 1.0),
    # a number asked with no kind of its own: any number stated
    ("社区工作者要达到多少", "每万名城镇常住人口拥有社区工作者18人。", 1.8),
    # a sum asked in its unit: stated so, or not at all; not by the days of the procedure
    # beside it, nor by an index number
    ("桓台孤儿一个月给多少钱", "(四)保障标准:每人每月920元。", 1.8),  # for the period asked
    ("桓台孤儿一个月给多少钱", "散居孤儿每人每年发放11040元。", 1.6),
    ("桓台孤儿一个月给多少钱", "审核:乡(镇)人民政府应在10个工作日内进行初步核实。", 1.0),
    ("桓台孤儿一个月给多少钱", "索引号: 11370321004221310G/2020-5108873", 1.0),
    # a sum asked with no unit: a year's or a 文号's digits state none
    ("某市低保标准2025年多少", "某民规字〔2025〕2号关于印发我市2025年最低生活保障标准的通知", 1.0),
    ("某市低保标准2025年多少", "（一）全市城乡最低生活保障标准为每人每月1309元。", 1.5),
])
def test_a_sentence_of_the_kind_asked_outweighs_one_sharing_words(question, sentence, bonus):
    from assistant.question import part
    from assistant.quotes import answer_type_bonus

    assert answer_type_bonus(part(question), sentence) == bonus


def test_the_first_ranked_passage_is_quoted_even_when_others_share_more_words():
    """The ranking put the passage on the choice between care at home and in an institution
    first; a passage on the house of one who moved into a 敬老院 shares more of the question's
    words. Word overlap alone quoted only the second; the first is quoted, and leads."""
    from assistant.quotes import pick_sentences
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    def hit(chunk_id, text, score):
        return Hit(chunk=Chunk(id=chunk_id, doc=f"{chunk_id}.txt", text=text, section=("条例",),
                               kind="text", start=0, end=len(text)), score=score)

    passages = [hit("choice", "供养对象可以选择在家分散供养。", 0.9),
                hit("house", "五保老人住进敬老院后，家里的房屋由村民委员会看管。", 0.8),
                hit("visit", "敬老院应当定期组织五保老人回家探亲，老人家里的事由村里照看。", 0.7)]
    picked = pick_sentences(part("五保老人可以住在家里吗"), passages, lambda term: 1.0)
    assert [h.chunk.id for h, _ in picked] == ["choice", "house"]
    assert picked[0][1] == "供养对象可以选择在家分散供养。"


def _row(title: str, date: str, body: str):
    from assistant.schema import Chunk, Hit

    text = f"《{title}》“十四五”时期民政事业主要发展指标（国家级）：{body}"
    return Hit(chunk=Chunk(id=title + body, doc=title, text=text, section=(title,),
                           kind="table_row", start=0, end=1), score=1.0, title=title, date=date)


@pytest.mark.parametrize("rows, cited", [
    # a bulletin reprinting the plan's row word for word: the plan is cited
    ([("民政工作动态（2021年6月）", "2021-06", "床位占比——2025年目标值：≥55"),
      ("“十四五”民政事业发展规划", "2021-05-24", "床位占比——2025年目标值：≥55")],
     ["“十四五”民政事业发展规划"]),
    # different figures are different rows, kept in their order
    ([("民政工作动态（2021年6月）", "2021-06", "床位占比——2025年目标值：≥60"),
      ("“十四五”民政事业发展规划", "2021-05-24", "床位占比——2025年目标值：≥55")],
     ["民政工作动态（2021年6月）", "“十四五”民政事业发展规划"]),
])
def test_a_copied_row_is_cited_from_the_document_it_copies(rows, cited):
    from assistant.compose import originals

    assert [h.title for h in originals([_row(*r) for r in rows])] == cited


@pytest.mark.parametrize("a, b, same", [
    # the county plan repeats the national plan's sentence, a clause added: quoted once
    ("推动因外出务工等原因不能完全履行监护职责的父母依法确定被委托照护人,指导其签订书面照护协议。"
     "指导外出务工父母加强与留守子女亲情关爱和日常联络沟通,确保每周联系和交流不少于1次。",
     "推动因外出务工等原因不能完全履行监护职责的父母依法确定被委托照护人，指导其签订书面照护协议，"
     "指导外出务工父母加强与留守子女亲情关爱和日常联络沟通，确保每周联系和交流不少于1次，"
     "指导村（居）委会有效履行强制报告职责。", True),
    # parallel articles of a regulation, about different people: both quoted
    ("申请最低生活保障，由共同生活的家庭成员向户籍所在地的乡镇人民政府提出书面申请。",
     "申请特困人员供养，由本人向户籍所在地的乡镇人民政府提出书面申请。", False),
    ("婚姻登记收费全面取消。", "婚姻登记收费全面取消。养老床位达到823.8万张。", True),
    ("婚姻登记收费全面取消。", "推动实现婚姻登记“跨省通办”。", False),
])
def test_a_quote_saying_what_another_says_is_the_same_text(a, b, same):
    from assistant.clean import same_text

    assert same_text(a, b) is same


# An article short enough is quoted whole; a longer one by the 款 that holds the best sentence
# (an enumeration with its lead-in). Texts from 老年人权益保障法 第十九条 and 社会救助暂行办法 第十一条.
SHORT_ARTICLE = ("第十九条 赡养人不得以放弃继承权或者其他理由，拒绝履行赡养义务。\n"
                 "赡养人不履行赡养义务，老年人有要求赡养人付给赡养费等权利。")
LONG_ARTICLE = ("第十一条 申请最低生活保障，按照下列程序办理：\n"
                "（一）由共同生活的家庭成员向户籍所在地的乡镇人民政府、街道办事处提出书面申请；"
                "家庭成员申请有困难的，可以委托村民委员会、居民委员会代为提出申请。\n"
                "（二）乡镇人民政府、街道办事处应当通过入户调查、邻里访问、信函索证、群众评议、"
                "信息核查等方式，对申请人的家庭收入状况、财产状况进行调查核实，提出初审意见，"
                "在申请人所在村、社区公示后报县级人民政府民政部门审批。\n"
                "（三）县级人民政府民政部门经审查，对符合条件的申请予以批准，并在申请人所在村、"
                "社区公布；对不符合条件的申请不予批准，并书面向申请人说明理由。\n"
                "对批准获得最低生活保障的家庭，县级人民政府民政部门按照共同生活的家庭成员人均收入"
                "低于当地最低生活保障标准的差额，按月发给最低生活保障金。")


@pytest.mark.parametrize("question, article, whole", [
    ("我都说了不要爸妈的房子了，还得养他们吗", SHORT_ARTICLE, True),
    ("不批准低保会说明理由吗", LONG_ARTICLE, False),
])
def test_a_short_article_is_quoted_whole(question, article, whole):
    from assistant.question import part
    from assistant.quotes import WHOLE_ARTICLE, pick_sentences
    from assistant.schema import Chunk, Hit

    assert (len(article) <= WHOLE_ARTICLE) == whole
    hit = Hit(chunk=Chunk(id="a", doc="a.md", text=article, section=("某条例", article[:4].strip()),
                          start=0, end=len(article)), score=1.0)
    rare = lambda term: 8.0 if "理由" in term else 1.0  # noqa: E731
    quote = pick_sentences(part(question), [hit], rare)[0][1]
    assert (quote == article) == whole
    if not whole:  # the enumeration with its lead-in, not the 款 after it
        assert quote.startswith("第十一条") and "说明理由" in quote and "按月发给" not in quote


def test_a_quote_an_earlier_part_gave_is_pointed_to_not_given_again():
    from assistant.compose import assemble, compose
    from assistant.question import understand
    from assistant.schema import Chunk, Hit

    article = ("第八条 居民委员会主任、副主任和委员，由本居住地区全体有选举权的居民选举产生。"
               "居民委员会每届任期五年，其成员可以连选连任。")
    hit = Hit(chunk=Chunk(id="c8", doc="law.md", text=article, section=("第八条",)), score=1.0,
              title="中华人民共和国城市居民委员会组织法", level="国家", date="2018-12-29")
    parts = understand("居委会一届任期几年？能连任吗？").parts
    results = [(None, *compose(p, [hit], lambda term: 1.0), [hit]) for p in parts]
    text, citations = assemble(parts, results)
    assert len(parts) == 2 and len(citations) == 1
    quoted = "“居民委员会每届任期五年，其成员可以连选连任。”"
    assert text.count(quoted) == 1  # quoted once, under the first part
    second = text.split("\n关于“")[-1]
    assert second.startswith("能连任吗”：可以。[1]") and quoted not in second


def test_a_later_part_quoting_more_of_a_passage_goes_on_from_the_earlier_quote():
    """"特困人员认定办法啥时候改的？放宽了哪些": the second part had quoted the same opening again."""
    from assistant.compose import assemble
    from assistant.question import understand
    from assistant.schema import Chunk, Citation, Hit

    passage = "2021年5月8日民政部印发新的认定办法。一是增加了残疾等级；二是放宽了未成年人范围。"
    hit = Hit(chunk=Chunk(id="n1", doc="news.md", text=passage, section=("动态",)), score=1.0,
              title="民政工作动态", level="国家", date="2021-05")
    parts = understand("认定办法啥时候改的？放宽了哪些").parts
    first, second = "2021年5月8日民政部印发新的认定办法。", passage
    results = [(None, f"根据《民政工作动态》（国家级，2021-05）：“{quote}”[1]",
                (Citation(1, hit, quote),), [hit]) for quote in (first, second)]
    text, citations = assemble(parts, results)
    assert len(citations) == 1 and text.count(first) == 1
    assert "：“……一是增加了残疾等级；二是放宽了未成年人范围。”[1]" in text


def test_a_passage_overlapping_one_quoted_above_is_not_quoted_again_off_the_part():
    """Passages overlap by a sentence: "…只要身份证就行了？还要开一堆证明吗" had quoted the
    一证一书 sentence under both parts, from two passages, the second running on into 财政资金
    (red team S13). Said above and the rest not on the part: pointed to."""
    from assistant.compose import assemble
    from assistant.question import understand
    from assistant.schema import Chunk, Citation, Hit

    said = "取消相关证明材料，推进社会救助申请“一证一书”（即身份证件、授权委托书）改革。"
    more = "强化财政资金保障，将社会救助工作经费纳入预算。"

    def hit(n, text):
        return Hit(chunk=Chunk(id=n, doc="plan.md", text=text, section=("规划",)), score=1.0,
                   title="某县规划", level="县", date="2022-05-31")

    a, b = hit("a", "提升经办能力。" + said), hit("b", said + more)
    parts = understand("申请社会救助是不是只要身份证就行了？还要开一堆证明吗").parts
    results = [(None, f"根据《某县规划》（县级，2022-05-31）：“{quote}”[1]", (Citation(1, h, quote),), [h])
               for h, quote in ((a, said), (b, said + more))]
    text, citations = assemble(parts, results)
    assert len(parts) == 2 and text.count(said) == 1 and more not in text, text
    assert "还要开一堆证明吗”：见上文[1]。" in text and len(citations) == 1


@pytest.mark.parametrize("passage, quotes, merged", [
    ("甲。乙。丙。丁。", ("甲。乙。", "乙。丙。"), "甲。乙。丙。"),  # overlapping: each sentence once
    ("甲。乙。丙。丁。", ("丙。", "甲。"), "甲。……丙。"),  # apart: in order, the gap shown
    ("甲。乙。丙。丁。", ("乙。", "甲。乙。丙。"), "甲。乙。丙。"),  # one inside the other
    ("甲。\n乙。\n丙。", ("丙。", "甲。"), "甲。\n……\n丙。"),  # lines of an article stay lines
    # a third quote of a passage two were merged from: in the passage's order, nothing dropped
    ("内地居民：\n(一)户口簿；\n港澳居民：\n(一)通行证；\n华侨：\n(一)护照；\n外国人：\n(一)护照。",
     ("内地居民：\n(一)户口簿；\n……\n外国人：\n(一)护照。", "港澳居民：\n(一)通行证；"),
     "内地居民：\n(一)户口簿；\n港澳居民：\n(一)通行证；\n……\n外国人：\n(一)护照。"),
    ("甲。乙。", ("丙。", "甲。"), "丙。……甲。"),  # not found verbatim: as they came
])
def test_quotes_of_one_passage_never_repeat_a_sentence_and_keep_its_order(passage, quotes,
                                                                           merged):
    from assistant.compose import merged_quote

    assert merged_quote(passage, *quotes) == merged


@pytest.mark.parametrize("header, region, named", [
    ("我县2020年实际值", "甘肃省张掖市青山县", "青山县2020年实际值"),  # a citizen is not in "our county"
    ("市上2025年目标值", "甘肃省张掖市青山县", "张掖市2025年目标值"),
    ("省上2025年目标值", "甘肃省张掖市青山县", "甘肃省2025年目标值"),
    ("本市2025年目标值", "福建省福州市", "福州市2025年目标值"),
    ("国家2025年目标值", "福建省福州市", "国家2025年目标值"),
    ("我区2025年目标值", "某区（原文未注明）", "我区2025年目标值"),  # no name to give: as it is
    ("我县2020年实际值", "", "我县2020年实际值"),
    ("2025年目标值", "全国", "全国2025年目标值"),  # a bare year: the document's own place
    ("2025年目标值", "福建省福州市", "福州市2025年目标值"),
    ("2025年目标值", "某区（原文未注明）", "2025年目标值"),
])
def test_a_column_headed_from_where_the_plan_stands_names_the_place(header, region, named):
    from assistant.rows import named_header

    assert named_header(header, region) == named


@pytest.mark.parametrize("row, summary", [
    ("《规划》“十四五”时期民政事业主要发展指标（县级）：养老机构护理型床位占比——单位：%；"
     "我县2020年实际值：3.8；我县2025年目标值：≥55；属性：约束性。",
     "养老机构护理型床位占比：青山县2020年实际值 3.8%，青山县2025年目标值 ≥55%，属性 约束性"),
    # a cell holding its own "；" stays one cell (the 12349 platform is part of 建设内容)
    ("《规划》项目汇总表（单位：万元）（县级）：智慧养老建设项目——建设性质：新建；建设内容：新建"
     "智慧养老中心；健全“12349”养老服务信息平台等；；总投资：500。",
     "智慧养老建设项目：建设性质 新建，建设内容 新建智慧养老中心；健全“12349”养老服务信息平台等，"
     "总投资 500万元"),
    # a row labelled by its first cell (a Markdown table of standards)
    ("《民乐县2024年社会救助标准》（县级）：项目：孤儿基本生活费；城市（元/月）：1500；农村（元/年）：1500。",
     "孤儿基本生活费：城市（元/月） 1500，农村（元/年） 1500"),
    # a document of no level, its columns units in brackets: the name is not the first figure
    # a form's field: its label and its value
    ("《某县低保办事指南》（县级）：办理时限：自受理之日起30个工作日内办结。", "办理时限：自受理之日起30个工作日内办结"),
    ("《某县低保办事指南》（县级）：申请材料：1.申请书；2.户口簿、身份证。", "申请材料：1.申请书；2.户口簿、身份证"),
    ("《社会救济情况》：农村最低生活保障人数(人)——2020年（人）：452363；2021年（人）：483970。",
     "农村最低生活保障人数(人)：青山县2020年（人） 452363，青山县2021年（人） 483970"),
    # the unit of the table's caption: its bare figures are in it, a range or a year is not one
    ("《某县规划》项目汇总表（单位：万元）（县级）：某县殡仪馆建设项目——建设年限：2022-2023；总投资：2100。",
     "某县殡仪馆建设项目：建设年限 2022-2023，总投资 2100万元"),
])
def test_a_table_row_is_summed_up_cell_by_cell(row, summary):
    from assistant.rows import row_summary

    assert row_summary(row, "甘肃省张掖市青山县") == summary


@pytest.mark.parametrize("level, date, shown", [
    ("国家", "2019-03-02", "（国家级，2019-03-02）"),
    ("县", "", "（县级，日期未注明）"),  # not "（县级，）"
    ("", "", "（日期未注明）"),
])
def test_a_citation_always_says_level_and_date(level, date, shown):
    from assistant.compose import quote_line
    from assistant.present import to_text
    from assistant.schema import Answer, Chunk, Citation, Hit

    hit = Hit(chunk=Chunk(id="c1", doc="plan.txt", text="加强临时救助。", section=("某县规划",)),
              score=1.0, title="某县规划", level=level, date=date)
    citation = Citation(1, hit, "加强临时救助。")
    assert quote_line(citation) == f"根据《某县规划》{shown}：“加强临时救助。”[1]"
    assert f"[1] 《某县规划》{shown}" in to_text(Answer("问", "答", False, (citation,)))


@pytest.mark.parametrize("question, passages, listed", [
    ("离婚冷静期多少天", ["年满88周岁的老年人每月发放高龄津贴。", "离婚登记应当双方亲自到场。"],
     ["离婚登记应当双方亲自到场。"]),
    ("离婚冷静期多少天", ["年满88周岁的老年人每月发放高龄津贴。"], []),  # nothing on the topic
    ("低保怎么申请", ["最低生活保障标准由县级人民政府确定。"], ["最低生活保障标准由县级人民政府确定。"]),
])
def test_a_refusal_lists_as_related_only_passages_on_the_topic(question, passages, listed):
    from assistant.compose import on_topic
    from assistant.question import understand
    from assistant.schema import Chunk, Hit

    hits = [Hit(chunk=Chunk(id=str(n), doc="d.txt", text=t, section=("某文件",)), score=1.0)
            for n, t in enumerate(passages)]
    assert [h.chunk.text for h in on_topic(understand(question).parts, hits)] == listed


@pytest.mark.parametrize("question, heading, heads", [
    ("申请低保需要什么材料", "二、申请材料", True),
    ("低保申请要带什么", "二、申请材料", True),
    ("申请低保需要什么材料", "一、申请条件", False),
    ("低保怎么申请", "三、办理流程", True),
    ("低保怎么申请", "第二章 最低生活保障", False),
])
def test_a_section_heading_that_names_what_is_asked(question, heading, heads):
    from assistant.question import part
    from assistant.lookups import heads_slot
    from assistant.schema import Chunk, Hit

    hit = Hit(chunk=Chunk(id="c", doc="g.txt", text="……", section=("办理须知", heading)), score=1.0)
    assert heads_slot(part(question), hit) == heads


def test_a_guide_s_section_on_what_was_asked_leads_the_answer():
    """"要带什么" is answered from 二、申请材料, though retrieval ranked 一、申请条件 first."""
    from assistant.compose import compose
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    def hit(n, heading, text):
        return Hit(chunk=Chunk(id=n, doc="g.txt", text=text, section=("城乡居民最低生活保障办理须知", heading)),
                   score=1.0, title="城乡居民最低生活保障办理须知")

    hits = [hit("1", "一、申请条件", "共同生活的家庭成员人均收入低于当地最低生活保障标准的，可以申请最低生活保障。"),
            hit("2", "二、申请材料", "申请最低生活保障应当提交户口簿、身份证和家庭收入情况声明。")]
    text, citations = compose(part("申请低保要带什么材料"), hits, lambda term: 1.0)
    assert citations[0].hit.chunk.section[-1] == "二、申请材料", text


def test_under_a_first_line_that_answers_only_quotes_bearing_on_what_was_asked_follow():
    """"结婚登记要花钱吗" → "答：不收费。", then the fee sentence, not the 跨省通办 pilot and the
    颁证仪式 that share its words but say nothing of a fee (issue 13: nothing unrelated appended)."""
    from assistant.compose import compose
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    def hit(n, text):
        return Hit(chunk=Chunk(id=n, doc="plan.txt", text=text, section=("民政事业发展规划", "婚姻登记")),
                   score=1.0, title="民政事业发展规划")

    hits = [hit("fee", "婚姻登记收费全面取消。"),
            hit("pilot", "推动实现结婚登记“跨省通办”，探索将颁证仪式引入结婚登记流程。")]
    text, citations = compose(part("结婚登记要花钱吗"), hits, lambda term: 1.0)
    assert text.startswith("答：不收费。") and [c.hit.chunk.id for c in citations] == ["fee"], text
    # a quote that does bear on it stays, numbered after the first without a gap
    text, citations = compose(part("结婚登记要花钱吗"), hits + [hit("free", "补领结婚证免费。")],
                              lambda term: 1.0)
    assert [(c.n, c.hit.chunk.id) for c in citations] == [(1, "fee"), (2, "free")] and "[3]" not in text, text
    # with no line that answers, the quotes are all kept
    _, citations = compose(part("结婚登记有什么新变化"), hits, lambda term: 1.0)
    assert len(citations) == 2


def test_under_a_first_line_a_quote_on_another_subject_does_not_follow():
    """"哄抢救灾物资会被抓吗" → 治安管理处罚 had been followed by the penalties for cheating
    社会救助 and for robbing old people: they hold a penalty too, but not of 哄抢."""
    from assistant.compose import supporting
    from assistant.question import part
    from assistant.schema import Chunk, Citation, Hit

    def cited(n, text):
        return Citation(n, Hit(chunk=Chunk(id=str(n), doc="a.md", text=text, section=("条例",)),
                               score=1.0), text)

    first = cited(1, "聚众哄抢救灾物资的，由公安机关依法给予治安管理处罚。")
    other = cited(2, "骗取救灾物资的，依法给予治安管理处罚。")
    same = cited(3, "哄抢救灾物资构成犯罪的，依法追究刑事责任。")
    rare = {"哄抢": 9.0}
    kept = supporting(part("哄抢救灾物资会被抓吗"), [first, other, same], lambda t: rare.get(t, 1.0))
    assert [c.quote for c in kept] == [first.quote, same.quote] and [c.n for c in kept] == [1, 2]
    # a first quote that does not name the subject holds the others to nothing more
    kept = supporting(part("哄抢救灾物资会被抓吗"), [other, first], lambda t: rare.get(t, 1.0))
    assert len(kept) == 2


@pytest.mark.parametrize("question, quote, led, first", [
    # the last of three materials had led alone, after the lead-in
    ("申请特困人员救助供养要交什么材料", "第四条 申请特困人员救助供养，应当向户籍所在地乡镇人民政府提交下列材料：\n"
     "（一）书面申请书；\n（二）户口簿和身份证；\n（三）低保证明。",
     "申请特困人员救助供养，应当向户籍所在地乡镇人民政府提交下列材料：（三）低保证明。",
     "申请特困人员救助供养，应当向户籍所在地乡镇人民政府提交下列材料：书面申请书；户口簿和身份证；低保证明。"),
    # a guide's list under its section 申请材料: no lead-in, items that name nothing asked
    ("临时救助要带什么材料", "1. 申请人身份证、户口簿\n2. 困难情况说明\n3. 收入证明\n以上材料均需提供原件和复印件。",
     "以上材料均需提供原件和复印件。", "申请人身份证、户口簿；困难情况说明；收入证明。"),
    ("临时救助要带什么材料", "1. 申请人身份证、户口簿\n2. 困难情况说明\n3. 收入证明", "",
     "申请人身份证、户口簿；困难情况说明；收入证明。"),
    # a sentence that answers on its own still leads
    ("收养继子女要交哪些材料", "收养继子女的，可以只提交居民户口簿、居民身份证和结婚的证明。\n"
     "收养人应当提交下列证明材料：\n（一）生育情况证明；\n（二）报案证明。",
     "收养继子女的，可以只提交居民户口簿、居民身份证和结婚的证明。", ""),
    # a yes-no question is not answered by a list
    ("外文材料要翻译吗", "外国人应当出具下列证件和证明材料：\n（一）护照；\n（二）无配偶的证明。", "", ""),
    # the list is of what was asked: 供养的内容 are no conditions
    ("特困人员要符合什么条件", "第十五条 特困人员供养的内容包括：\n(一)提供基本生活条件；\n(二)办理丧葬事宜。", "",
     ""),
])
def test_materials_or_conditions_asked_lead_as_one_list(question, quote, led, first):
    from assistant.firstline import listed
    from assistant.question import part

    assert listed(part(question), quote, led) == first


@pytest.mark.parametrize("question, quote, said", [
    ("结婚登记要花钱吗", "婚姻登记收费全面取消,《中华人民共和国民法典》增设“离婚冷静期”制度。", "不收费。"),
    ("结婚登记要花钱吗", "优化婚姻登记管理服务。完善婚姻管理服务标准。", ""),
    # free of something else: not what was asked
    ("结婚登记要花钱吗", "为老年人免费提供健康体检。", ""),
    # encouraged, not granted
    ("去公证处办公证能免费吗", "鼓励公证处为经济困难的老年人提供免费或者优惠服务。", ""),
    # what one must do to be served free is no fee question
    ("家长要出什么力才能免费托娃", "志愿家庭家长通过提供轮流帮带服务获得免费托育权益。", ""),
    # what is free is told; the hours are asked
    ("失能老人每个月免费生活照料最少有多少个小时？", "失能的每户每月享受不少于四十八小时免费生活照料服务。", ""),
])
def test_a_fee_asked_and_a_sentence_saying_it_costs_nothing(question, quote, said):
    from assistant.firstline import verdict
    from assistant.question import part

    assert verdict(part(question), quote) == said


def test_a_level_asked_is_answered_from_its_passages_only():
    """"县里的呢" after a national target: the county's sentence and row, not the national row
    again as a third quote."""
    from assistant.compose import compose
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    def hit(chunk_id, text, level):
        return Hit(chunk=Chunk(id=chunk_id, doc=f"{chunk_id}.txt", text=text, section=("规划",),
                               kind="text", start=0, end=len(text)), score=1.0, level=level,
                   title=f"{level}规划")

    county = hit("county", "到2025年底，全县养老机构护理型床位占比达到55%。", "县")
    national = hit("national", "到2025年，养老机构护理型床位占比达到55%。", "国家")
    _, citations = compose(part("县里养老机构护理型床位占比目标是多少"), [national, county], lambda t: 1.0)
    assert [c.hit.chunk.id for c in citations] == ["county"]
    _, citations = compose(part("养老机构护理型床位占比目标是多少"), [national, county], lambda t: 1.0)
    assert citations[0].hit.chunk.id == "national"


def test_a_guides_section_on_what_was_asked_is_quoted_though_its_items_name_nothing_asked():
    """结婚登记要带啥: 三、申请材料 (its items name neither 结婚 nor 登记) ranked third had not
    been quoted at all; 四、办理流程 ("…当场颁发结婚证") was the only quote."""
    from assistant.quotes import pick_sentences
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    def hit(chunk_id, heading, text, score):
        return Hit(chunk=Chunk(id=chunk_id, doc="指南.txt", text=text, section=("婚姻登记办事指南", heading),
                               kind="text", start=0, end=len(text)), score=score)

    flow = hit("flow", "四、办理流程", "当事人双方共同到婚姻登记处提出申请，登记员审查后当场颁发结婚证。", 0.9)
    basis = hit("basis", "一、办理依据", "办理依据：《婚姻登记条例》", 0.8)
    materials = hit("materials", "三、申请材料", "1. 本人的户口簿、身份证\n2. 近期半身免冠合影照片3张", 0.7)
    picked = pick_sentences(part("结婚登记要带啥"), [flow, basis, materials], lambda term: 1.0)
    assert picked[0] == (materials, materials.chunk.text)


def test_a_yes_is_not_read_from_a_permission_of_something_else():
    from assistant.firstline import verdict
    from assistant.question import part

    quote = "特困人员中的残疾人，不享受困难残疾人生活补贴，可以享受重度残疾人护理补贴。"
    assert verdict(part("我是特困人员，还能领困难残疾人生活补贴吗"), quote) == ""
    assert verdict(part("特困人员能领重度残疾人护理补贴吗"), "特困人员中的重度残疾人，可以享受重度残疾人护理补贴。") == "可以。"


def test_the_city_a_notice_is_of_does_not_pick_the_sentence_that_names_the_city():
    from assistant.quotes import pick_sentences
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    passage = "（一）全市城乡最低生活保障标准为每人每月1309元。《广州市民政局关于2024年标准的通知》同时废止。"
    hit = Hit(chunk=Chunk(id="a", doc="a.md", text=passage, section=("标准",), kind="text",
                          start=0, end=len(passage)), score=1.0, region="广州", level="市")
    picked = pick_sentences(part("广州低保标准每月多少钱"), [hit], lambda term: 8.0 if term == "广州" else 1.0)
    assert picked[0][1].startswith("（一）全市城乡最低生活保障标准为每人每月1309元")


ROW = "《规划》主要发展指标（县级）：养老机构护理型床位占比——单位：%；2025年目标值：≥55；属性：约束性。"
OTHER = "《规划》主要发展指标（县级）：每千名老年人拥有养老床位——单位：张；2025年目标值：≥35；属性：预期性。"


@pytest.mark.parametrize("question, said", [
    ("护理型床位占比是约束性指标吗", "是，属性为约束性。"),
    ("护理型床位占比是预期性指标吗", "不是，属性为约束性。"),  # 预期性: what another row holds
    ("护理型床位占比是55%吗", ""),  # a figure: the row itself answers
    ("护理型床位占比2025年目标是多少", ""),  # no yes-no question
    ("每千名老年人拥有养老床位是约束性指标吗", ""),  # another indicator than the row's
])
def test_a_yes_no_on_a_rows_value_is_answered_first(question, said):
    from assistant.rows import cell_verdict
    from assistant.question import understand

    assert cell_verdict(understand(question).parts[0], ROW, [ROW, OTHER]) == said


@pytest.mark.parametrize("kind, text, named", [
    ("table_row", "《高龄老人津贴申请》（县级）：收费依据及标准：免费。\n原表行：免费", "《高龄老人津贴申请》表格 › 收费依据及标准"),
    ("table_row", "《规划》主要发展指标（县级）：养老机构护理型床位占比——单位：%；2025年目标值：≥55。",
     "《高龄老人津贴申请》表格 › 养老机构护理型床位占比"),
    ("text", "年满80周岁的老年人。", "《高龄老人津贴申请》表格"),  # a passage of text: its headings
])
def test_a_tables_row_is_named_where_it_is_cited(kind, text, named):
    """Two rows of one table had been cited alike ("《…》表格" twice under a refusal)."""
    from assistant.compose import where
    from assistant.schema import Chunk, Hit

    chunk = Chunk(id="c", doc="d.md", text=text, section=("高龄老人津贴申请", "表格"), kind=kind)
    assert where(Hit(chunk=chunk, score=1.0)) == named


BANDS = ("办理流程：4、县老龄办网上复审,年满70周岁按月,社会化发放高龄补贴。(标准:70-79周岁50元/月;"
       "80-89周岁100元/月;90-99周岁400元/月;100周岁以上600元/月)")


@pytest.mark.parametrize("question, quote, first", [
    ("洛川县90多岁的老人高龄补贴一个月给多少", BANDS, "90-99周岁400元/月。"),
    ("我爷爷刚满72岁，高龄补贴每月有多少", BANDS, "标准:70-79周岁50元/月。"),
    ("百岁老人高龄补贴每月多少钱", BANDS, "100周岁以上600元/月。"),
    ("池州市区95岁老人每月能领多少高龄津贴",
     "▻80-89岁每人每月30元\n▻90-99岁每人每月60元\n▻100岁以上每人每月300元", "90-99岁每人每月60元。"),
    ("洛川高龄补贴一个月多少钱", BANDS, ""),  # no age given: no band is the answer
    ("90多岁的老人怎么申请高龄补贴", BANDS, ""),  # no sum asked
    ("60岁的老人高龄补贴多少", BANDS, ""),  # no band holds the age
])
def test_a_sum_asked_for_an_age_leads_with_its_band(question, quote, first):
    from assistant.firstline import aged_amount
    from assistant.question import understand

    assert aged_amount(understand(question).parts[0], quote) == first


@pytest.mark.parametrize("question, title, section, region, said", [
    # the guide's title names the benefit; its sentences never repeat it
    ("我是本地户口，临时救助去哪儿申请？", "临时救助", ("临时救助", "办理流程"), "", {"临时救助", "临时", "救助"}),
    # a heading names it
    ("冷静期是多少天", "离婚登记流程", ("离婚登记流程", "1、冷静期计算"), "", {"冷静期", "冷静"}),
    # the document is of the place asked
    ("广州低保标准是多少", "最低生活保障标准", ("标准",), "广州市", {"广州", "标准"}),
    # nothing of the question above the passage
    ("结婚登记要带什么", "殡葬管理条例", ("第五条",), "", set()),
])
def test_what_a_passage_says_throughout_is_what_its_title_headings_and_place_name(
        question, title, section, region, said):
    from assistant.question import part
    from assistant.quotes import said_throughout
    from assistant.schema import Chunk, Hit

    hit = Hit(chunk=Chunk(id="a", doc="a.txt", text="……", section=section, kind="text",
                          start=0, end=2), score=1.0, title=title, region=region)
    found = said_throughout(part(question), hit)
    assert found >= said and (said or not found)


def test_the_sentence_quoted_need_not_repeat_what_the_guide_is_titled():
    """Of a guide titled 临时救助, the sentence saying where locals apply, not the one that
    repeats 申请临时救助 about people from elsewhere."""
    from assistant.question import part
    from assistant.quotes import pick_sentences
    from assistant.schema import Chunk, Hit

    passage = ("申请对象需提交书面申请，本地户籍人口在户籍所在地镇（办）政府申请。"
               "对申请临时救助的非本地户籍居民，户籍所在地县（区）民政部门要配合做好有关审核工作。")
    hit = Hit(chunk=Chunk(id="a", doc="a.txt", text=passage, section=("临时救助", "办理流程"),
                          kind="text", start=0, end=len(passage)), score=1.0, title="临时救助")
    quote = pick_sentences(part("我是本地户口，临时救助去哪儿申请？"), [hit], lambda term: 1.0)[0][1]
    assert quote.startswith("申请对象需提交书面申请")


def test_a_short_section_named_for_what_is_asked_is_quoted_whole():
    """"三、申请材料" answers "要带什么" with every item, not the one item that shares a word."""
    from assistant.question import part
    from assistant.quotes import pick_sentences
    from assistant.schema import Chunk, Hit

    passage = "1.临时救助申请书;\n2.户口薄复印件;\n3.身份证复印件;\n4.临时救助申请审批表;\n5.县区规定需要提供的其他资料。"
    hit = Hit(chunk=Chunk(id="a", doc="a.txt", text=passage, section=("临时救助", "三、申请材料"),
                          kind="text", start=0, end=len(passage)), score=1.0, title="临时救助")
    quote = pick_sentences(part("申请临时救助要带什么材料"), [hit], lambda term: 1.0)[0][1]
    assert quote == passage


def test_a_forms_field_named_for_what_is_asked_leads():
    """Of a guide laid out as a form, the 办理材料 row answers "要带啥", ahead of the 办理流程
    row the rankers put first."""
    from assistant.question import part
    from assistant.quotes import pick_sentences
    from assistant.schema import Chunk, Hit

    def row(chunk_id, text):
        return Hit(chunk=Chunk(id=chunk_id, doc="a.md", text=text, section=("高龄老人津贴申请", "表格"),
                               kind="table_row", start=0, end=len(text)), score=1.0,
                   title="高龄老人津贴申请")

    flow = row("flow", "《高龄老人津贴申请》（县级）：办理流程：1、个人申请2、持本人身份证、农行卡到乡镇领取并填写登记表")
    materials = row("materials", "《高龄老人津贴申请》（县级）：办理材料：身份证原件、农行卡、二寸照片2张。")
    picked = pick_sentences(part("办高龄补贴要带啥东西"), [flow, materials], lambda term: 1.0)
    assert picked[0][0] is materials


def test_asked_what_to_bring_an_article_is_quoted_whole_with_the_paragraph_that_adds_to_its_list():
    from assistant.question import part
    from assistant.quotes import pick_sentences
    from assistant.schema import Chunk, Hit

    article = ("第七条 送养人应当向收养登记机关提交下列证件和证明材料：\n（一）送养人的居民户口簿和居民身份证"
               "（组织作监护人的，提交其负责人的身份证件）；\n（二）《中华人民共和国民法典》规定送养时应当征得其他"
               "有抚养义务的人同意的，并提交其他有抚养义务的人同意送养的书面意见。\n"
               "生父母为送养人，有特殊困难无力抚养子女的，还应当提交送养人有特殊困难的声明；因丧偶或者一方"
               "下落不明由单方送养的，还应当提交配偶死亡或者下落不明的证明。对送养人有特殊困难的声明，登记机关"
               "可以进行调查核实；子女由三代以内同辈旁系血亲收养的，还应当提交公安机关出具的或者经过公证的"
               "与收养人有亲属关系的证明。")
    assert 250 < len(article) <= 450
    hit = Hit(chunk=Chunk(id="a", doc="a.md", text=article, section=("收养登记办法", "第七条"),
                          kind="text", start=0, end=len(article)), score=1.0)
    quote = pick_sentences(part("生父母有特殊困难送养孩子，要交哪些材料"), [hit], lambda term: 1.0)[0][1]
    assert "居民户口簿" in quote and "特殊困难的声明" in quote


@pytest.mark.parametrize("question, text, held", [
    ("高龄补贴每月有多少", "申请条件：洛川户籍年满69周岁", False),  # an age is no sum
    ("高龄补贴每月有多少", "标准:70-79周岁50元/月;80-89周岁100元/月", True),
    ("分为几级", "分为三级。", True),
    ("要多少天", "自受理之日起10个工作日内办结。", True),
])
def test_a_quote_holds_the_number_asked_in_its_unit(question, text, held):
    from assistant.question import part
    from assistant.quotes import holds_answer

    assert holds_answer(part(question), text) == held


def test_a_list_item_stating_the_sum_asked_is_quoted_without_the_items_after_it():
    from assistant.question import part
    from assistant.quotes import pick_sentences
    from assistant.schema import Chunk, Hit

    passage = "(2)冷藏(冻)费,最高补贴额度300元;\n(3)火化费,最高补贴额度240元;\n(4)卫生纸棺费,最高补贴额度200元;"
    hit = Hit(chunk=Chunk(id="a", doc="a.md", text=passage, section=("惠民殡葬补贴", "可申报项目"),
                          kind="text", start=0, end=len(passage)), score=1.0, title="惠民殡葬补贴")
    quotes = [q for _, q in pick_sentences(part("冷藏费最高补贴多少钱"), [hit], lambda term: 1.0)]
    assert quotes[0] == "(2)冷藏(冻)费,最高补贴额度300元;"


FUNERAL_MATERIALS = ("(1)死亡人员户口本、身份证原件及复印件3份;\n(2)火化证原件及复印件3份;\n(3)死亡证明原件及复印件3份;\n"
                     "(4)一寸蓝底照片3张;\n(5)低保、特困、重点优抚对象等困难群体需提供相应证件原件及复印件3份;\n"
                     "(6)提供各个项目的发票原件及复印件3份,手撕发票须能看清发票的编号并且要有明细;")


@pytest.mark.parametrize("question, first", [
    # what to bring: the list's first items and how many, not item (5) that says 证件
    ("办惠民殡葬补贴要带啥材料", "死亡人员户口本、身份证原件及复印件3份；火化证原件及复印件3份；"),
    # the item the question names leads
    ("特困人员申请惠民殡葬补贴，还要另外提供什么证件？", ""),
])
def test_a_long_list_of_materials_opens_with_its_first_items_unless_one_is_asked(question, first):
    from assistant.firstline import listed
    from assistant.question import part

    led = "(5)低保、特困、重点优抚对象等困难群体需提供相应证件原件及复印件3份。"
    line = listed(part(question), FUNERAL_MATERIALS, led)
    assert line.startswith(first) and (not first or line.endswith("等6项，见下文。"))


@pytest.mark.parametrize("question, first", [
    # 登记 of 结婚登记 in 《军人婚姻登记证明》 is no item the question names: the list leads
    ("某县结婚登记需要提交哪些申请材料", "本人有效的身份证、户口簿；现役军人须持"),
    ("现役军人结婚要交什么证明", ""),  # this one it names
])
def test_an_item_leads_a_long_list_only_when_it_names_a_whole_term_of_the_question(question,
                                                                                  first):
    from assistant.firstline import listed
    from assistant.question import part

    quote = ("(一)本人有效的身份证、户口簿;\n(二)现役军人须持团以上政治机关出具的《军人婚姻登记证明》、"
             "军人证件、居民身份证;\n(三)提交3张大2寸红底双方近期半身免冠合影照片;\n(四)离婚、丧偶当事人应当"
             "提供法院生效司法文书、配偶居民死亡医学证明(推断)书等材料,且与本人户口薄上记载一致。")
    led = "(二)现役军人须持团以上政治机关出具的《军人婚姻登记证明》、军人证件、居民身份证。"
    line = listed(part(question), quote, led)
    assert line.startswith(first) and (not first or line.endswith("等4项，见下文。"))


def test_a_sentence_naming_the_document_the_question_names_leads():
    """"办理依据中引用了《婚姻登记条例》哪几条": the sentence citing that regulation, not the one
    closest in meaning beside it citing another."""
    from assistant.quotes import pick_sentences
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    passage = "《婚姻登记条例》第四条、第五条、第八条;《婚姻登记工作规范》第二十九条、第三十条。"
    hit = Hit(chunk=Chunk(id="a", doc="a.txt", text=passage, section=("结婚登记办理指南", "办理依据"),
                          kind="text", start=0, end=len(passage)), score=1.0,
              nearest="《婚姻登记工作规范》第二十九条、第三十条。", scores={"closeness": 1.0})
    quote = pick_sentences(part("某县结婚登记办理依据中引用了《婚姻登记条例》哪几条？"), [hit],
                           lambda term: 1.0)[0][1]
    assert quote.startswith("《婚姻登记条例》第四条")


def test_each_part_is_called_by_its_own_words():
    """"广州低保每月多少？低保边缘家庭呢": the second part was labelled with both questions glued."""
    from assistant.question import understand

    parts = understand("某市低保每月多少？低保边缘家庭呢").parts
    assert [p.label for p in parts] == ["某市低保每月多少", "低保边缘家庭呢"]
    assert "低保边缘家庭" in parts[1].text and "低保" in parts[1].text  # asked of the topic before


@pytest.mark.parametrize("sentence, announces", [
    ("为此,某市民政局向广大市民发起“关爱流浪乞讨人员寒冬送温暖”倡议:", True),
    ("申请人应当提交下列证件和证明材料：", True),
    ("服务机构: 市民政局\n事项分类: 救助捐赠\n办事指南:", True),  # a guide's field before its list
    ("服务机构: 市民政局", False),
    ("临时救助标准一般参照当地城市低保月保障标准。", False),
])
def test_a_lead_in_announces_what_follows(sentence, announces):
    from assistant.clean import lead_in

    assert lead_in(sentence) is announces


def test_a_lead_in_whose_items_are_in_other_passages_is_not_quoted_alone():
    """A notice's preamble ends "…倡议:" and each of its items is a passage of its own: the
    lead-in alone had been the whole answer to what the notice asks people to do."""
    from assistant.quotes import pick_sentences
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    preamble = ("冬至已过,为及时救助流落街头的生活无着人员以及流浪未成年人,请广大市民朋友留意周围的"
                "流浪乞讨人员。为此,某市民政局向广大市民发起关爱流浪乞讨人员倡议:")
    item = ("三、对于以乞讨为职业的流浪人员,广大市民需要提高警惕,理性救助,不要盲目给予资金帮助,"
            "应劝导其到救助管理站接受救助。")
    hits = [Hit(chunk=Chunk(id=cid, doc="a.txt", text=text, section=section, kind="text",
                            start=0, end=len(text)), score=score)
            for cid, text, section, score in [("p", preamble, ("倡议",), 1.0),
                                              ("i", item, ("倡议", "三、对于以乞讨为职业的流浪人员"), 0.9)]]
    asked = part("对于以乞讨为职业的流浪人员，某市民政局倡议市民如何对待")
    quotes = [q for _, q in pick_sentences(asked, hits, lambda term: 1.0)]
    assert not any(q.endswith("倡议:") for q in quotes)
    assert any("理性救助" in q for q in quotes)


def test_a_lead_in_never_stands_as_the_first_line():
    """"答：…应当为居住在家的老年人提供下列服务：" had answered "提供哪些服务" with what
    announces the answer."""
    from assistant.compose import compose
    from assistant.question import part
    from assistant.schema import Chunk, Hit

    text = ("第十四条 市卫生部门应当完善基层医疗卫生服务网络。社区卫生服务机构应当为居住在家的"
            "老年人提供下列服务：\n（一）建立健康档案；\n（二）提供家庭医生签约服务。")
    hit = Hit(chunk=Chunk(id="a", doc="a.md", text=text, section=("某市居家养老服务条例", "第十四条")),
              score=1.0, title="某市居家养老服务条例")
    answer, _ = compose(part("社区卫生服务机构给居家老人提供哪些服务"), [hit], lambda term: 1.0)
    assert not answer.split("\n")[0].endswith("：[1]"), answer


@pytest.mark.parametrize("sentence, only_catalogue", [
    ("索引号: 11340722003126629G/202312-00045\n组配分类: 政策法规文件\n发布机构: 某镇", True),
    ("发布日期: 2023-12-08\n有效性: 有效", True),
    ("地点:各村委会、某镇民政办", False),
    ("发布时间:2014-03-05 09:18\n某县人民政府办公室各乡、镇人民政府:", False),
])
def test_a_pages_catalogue_is_told_from_its_text(sentence, only_catalogue):
    """A page's catalogue (索引号, 发布机构 …) is quoted only for what is asked of the document:
    it had stood second under "某镇临时救助一次给多少钱" for naming the town."""
    from assistant.clean import catalogue

    assert catalogue(sentence) is only_catalogue


@pytest.mark.parametrize("section, region, shown", [
    (("民政工作动态（2021年5月）", "江苏某市因病支出型贫困家庭低保救助最高可享30个月"), "", True),
    (("某县“十四五”民政事业发展规划", "第三节提升儿童福利保障水平"), "", False),  # 福利: no place
    (("长沙市养老服务条例", "岳麓区试点"), "湖南省长沙市", True),
    (("长沙市养老服务条例", "长沙市居家养老"), "湖南省长沙市", False),  # the document's own place
])
def test_a_citation_names_a_digests_item_about_another_place(section, region, shown):
    """A national bulletin's news item of one city is cited with its heading: "…最快1周可享受救助"
    had answered how long 低保 approval takes as if it were a national rule (red team S25)."""
    from assistant.compose import quote_line
    from assistant.schema import Chunk, Citation, Hit

    hit = Hit(chunk=Chunk(id="a", doc="a.md", text="某句。", section=section), score=1.0,
              title=section[0], level="国家", region=region, date="2021-05")
    line = quote_line(Citation(1, hit, "某句。"))
    assert (f"》“{section[-1]}”（" in line) is shown, line


def test_the_quote_stating_the_value_asked_leads():
    """A time asked: the row stating the hours leads the row ranked above it that names the
    place; asked for an office, the order stays (部门, 村委会 are in much else)."""
    from assistant.lookups import slot_first
    from assistant.question import part
    from assistant.schema import Chunk, Citation, Hit

    def cited(n, text):
        hit = Hit(chunk=Chunk(id=str(n), doc="a.md", text=text, section=("表格",), kind="table_row"),
                  score=1.0)
        return Citation(n, hit, text)

    rows = [cited(1, "申请条件：某县户籍年满69周岁"), cited(2, "办理时间：早上8:00-12:00,下午14:00-18:00(周一至周五)"),
            cited(3, "办理流程：个人申请，村委会公示")]
    led = slot_first(part("某县高龄补贴什么时间能去办"), rows)
    assert [c.quote[:4] for c in led] == ["办理时间", "申请条件", "办理流程"] and [c.n for c in led] == [1, 2, 3]
    assert slot_first(part("某县高龄补贴在哪儿办"), rows) == rows


def test_the_line_answering_a_later_question_is_chosen_by_its_own_words():
    """换 of the first question's 换一届 is in 撤换: the second question asks 连任."""
    from assistant.firstline import lead
    from assistant.question import understand

    quote = ("第十一条 村民委员会主任、副主任和委员，由村民直接选举产生。任何组织或者个人不得指定、"
             "委派或者撤换村民委员会成员。\n村民委员会每届任期五年，届满应当及时举行换届选举。"
             "村民委员会成员可以连选连任。")
    second = understand("村委会几年换一届，村主任能连任吗").parts[-1]
    assert lead(second, quote, lambda term: 1.0) == "村民委员会成员可以连选连任。"
