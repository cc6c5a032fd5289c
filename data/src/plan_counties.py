"""Write data/agglomeration_counties.csv: the county-level units that plan texts name for partial members.

Run from anywhere: python3 data/src/plan_counties.py. Standard library only, deterministic.
Each list is written as the plan (or its official summary) names it; `find` resolves every name to
exactly one unit of the prefecture in data/counties.csv (by name prefix) and stops on any miss, so a
renamed or merged unit shows up as an error instead of a silent gap. `exclude=True` reads a list of the
form 'city X (except A, B)'. Sources and their quotes: data/src/NOTES_plans.md.
"""
import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
rows = list(csv.DictReader(open(ROOT / 'data' / 'counties.csv', encoding='utf-8')))
by = {}
for r in rows: by.setdefault(r['prefecture'], []).append(r)
def find(pref, names, exclude=False):
    units = by[pref]
    if exclude:
        out = [u for u in units if not any(u['name_zh'].startswith(n) for n in names)]
        miss = [n for n in names if not any(u['name_zh'].startswith(n) for u in units)]
        assert not miss, (pref, miss)
        return out
    out = []
    for n in names:
        m = [u for u in units if u['name_zh'].startswith(n)]
        assert len(m) == 1, (pref, n, [u['name_zh'] for u in m])
        out.append(m[0])
    return out

S_CY = ("成渝城市群发展规划 (NDRC & MOHURD 发改规划〔2016〕910号, 2016-04-27; State Council reply 国函〔2016〕68号); "
        "scope sentence as quoted on baike.baidu.hk/item/成渝城市群發展規劃/19488439 and wenxiaoda.com/2024/0704/681519.html; plan text hosted at cre.org.cn/index.php/zl/xlwjlz/csqgh/15226.html")
S_CY_CQ = S_CY + "; '渝中…忠县等27个区(县)以及开州、云阳的部分地区': Kaizhou and Yunyang are named only in part and left out; 梁平 was a county in 2016 (district since 2016-11)"
S_NJ = ("南京都市圈发展规划 (NDRC reply 2021-02; issued by Jiangsu & Anhui governments 2021-04): planning scope = 8 cities whole + 常州市金坛区和溧阳市 "
        "(Jiangsu DRC briefing 2021-04-10 as reported by Xinhua Daily, re-posted m.safehavenvillage.org/n2/2021/0411/c360301-34669071.html); the plan's core scope ('主要包括', 2.7万km2) is narrower, see data/src/metro_plans.csv")
S_XA = ("西安都市圈发展规划 (NDRC reply 2022-03): scope read out at the Shaanxi government press conference 2022-04-01 "
        "(re-post olinedb.com/2022/0402/400932.html; same list on nianzhi.cc/weibo/4240809773456707): 西安市全域(含西咸新区),咸阳市秦都区、渭城区、兴平市、三原县、泾阳县、礼泉县、乾县、武功县,铜川市耀州区,渭南市临渭区、华州区、富平县,杨凌示范区")
S_CQ = ("重庆都市圈发展规划 (Chongqing & Sichuan governments with NDRC consent, 2022-08; CNS 2022-09-07, re-post m.9k8cc.com/cn/Instant/domestic/202209/t20220908_7271086.html; district list as on maigoo.com/citiao/1274129.html): "
        "主城都市区21个区 + all of Guang'an; 万盛经开区 is inside 綦江区 (500110)")
S_QD = ("青岛都市圈发展规划 (Shandong government 2023-10-06, published 2023-10-13; Qingdao Daily 2023-10-14, qingdaonews.com/app/content/2023-10/14/content_23499819.htm): "
        "青岛市全域,潍坊市诸城市、高密市,日照市东港区,烟台市莱阳市、莱州市、海阳市")
S_GZ = ("广州都市圈发展规划 (Guangdong 粤府〔2023〕92号, 2023-12-20, www.gd.gov.cn/zwgk/wjk/qbwj/yf/content/post_4303487.html; CNS 2023-12-20, re-post windowleaf.cn/article/853.html): "
        "广州市、佛山市全域,肇庆市端州区、鼎湖区、高要区、四会市,清远市清城区、清新区、佛冈县")
S_HF = ("合肥都市圈发展规划 (NDRC reply 2024-02; Xinhua feature re-posted m.voc.com.cn/xhn/news/202511/30991684.html): "
        "合肥市全域、淮南市寿县、六安市金安区和舒城县、芜湖市无为市、马鞍山市含山县、滁州市定远县、安庆市桐城市")

def row(agg, pref, units, src):
    return [agg, pref, ';'.join(u['adcode'] for u in units), src]

out = []
out.append(row('chengdu-chongqing','chongqing', find('chongqing', ['渝中','万州','黔江','涪陵','大渡口','江北','沙坪坝','九龙坡','南岸','北碚','綦江','大足','渝北','巴南','长寿','江津','合川','永川','南川','潼南','铜梁','荣昌','璧山','梁平','丰都','垫江','忠县']), S_CY_CQ))
out.append(row('chengdu-chongqing','dazhou', find('dazhou', ['万源'], exclude=True), S_CY + "; '达州(除万源市)'; includes the 达州经济开发区 functional area"))
out.append(row('chengdu-chongqing','mianyang', find('mianyang', ['北川','平武'], exclude=True), S_CY + "; '绵阳(除北川县、平武县)'"))
out.append(row('chengdu-chongqing','yaan', find('yaan', ['天全','宝兴'], exclude=True), S_CY + "; '雅安(除天全县、宝兴县)'"))
out.append(row('chongqing-metro','chongqing', find('chongqing', ['渝中','大渡口','江北','沙坪坝','九龙坡','南岸','北碚','渝北','巴南','涪陵','长寿','江津','合川','永川','南川','綦江','大足','璧山','铜梁','潼南','荣昌']), S_CQ))
out.append(row('guangzhou-metro','qingyuan', find('qingyuan', ['清城','清新','佛冈']), S_GZ))
out.append(row('guangzhou-metro','zhaoqing', find('zhaoqing', ['端州','鼎湖','高要','四会']), S_GZ))
for pref, names in [('anqing',['桐城']),('chuzhou',['定远']),('huainan',['寿县']),('luan',['金安','舒城']),('maanshan',['含山']),('wuhu',['无为'])]:
    extra = {'huainan': "; 寿县 moved from Lu'an to Huainan in 2015", 'wuhu': "; 无为 moved to Wuhu in 2011 and became a county-level city in 2019"}.get(pref, '')
    out.append(row('hefei-metro', pref, find(pref, names), S_HF + extra))
out.append(row('nanjing-metro','changzhou', find('changzhou', ['金坛','溧阳']), S_NJ))
out.append(row('qingdao-metro','rizhao', find('rizhao', ['东港','日照经济技术开发区']), S_QD + "; the 日照经济技术开发区 functional area is taken as part of 东港区 (compiler's reading, not in the plan text)"))
out.append(row('qingdao-metro','weifang', find('weifang', ['诸城','高密']), S_QD))
out.append(row('qingdao-metro','yantai', find('yantai', ['莱阳','莱州','海阳']), S_QD))
out.append(row('xian-metro','tongchuan', find('tongchuan', ['耀州']), S_XA + "; only 耀州区 (agglomerations.csv also names 王益区, which the plan does not)"))
out.append(row('xian-metro','weinan', find('weinan', ['临渭','华州','富平']), S_XA))
out.append(row('xian-metro','xianyang', find('xianyang', ['秦都','渭城','兴平','三原','泾阳','礼泉','乾县','武功']), S_XA))

S_GZP = ("关中平原城市群发展规划 (NDRC & MOHURD 发改规划〔2018〕220号, 2018-02; State Council reply 国函〔2018〕6号); scope sentence in the Xinhua report 2018-02-18 (re-post nonglinyumu.com/animal/1082696.html): "
         "商洛市的商州区、洛南县、丹凤县、柞水县,山西省运城市(除平陆县、垣曲县)、临汾市尧都区、侯马市、襄汾县、霍州市、曲沃县、翼城县、洪洞县、浮山县,甘肃省天水市及平凉市的崆峒区、华亭县、泾川县、崇信县、灵台县和庆阳市区")
S_LX = ("兰州-西宁城市群发展规划 (NDRC & MOHURD 发改规划〔2018〕423号, 2018-03; State Council reply 国函〔2018〕38号); scope sentence in the Xinhua report 2018-03-20 (chinawestern.org.cn/h-nd-1439.html) and by the Qinghai DRC in Qinghai Daily 2018-03-27 (chinawestern.org.cn/h-nd-1420.html)")
out.append(row('guanzhong-plain','shangluo', find('shangluo', ['商州','洛南','丹凤','柞水']), S_GZP))
out.append(row('guanzhong-plain','yuncheng', find('yuncheng', ['平陆','垣曲'], exclude=True), S_GZP + "; '运城市(除平陆县、垣曲县)'"))
out.append(row('guanzhong-plain','linfen', find('linfen', ['尧都','侯马','襄汾','霍州','曲沃','翼城','洪洞','浮山']), S_GZP))
out.append(row('guanzhong-plain','pingliang', find('pingliang', ['崆峒','华亭','泾川','崇信','灵台']), S_GZP + "; 华亭县 became 华亭市 in 2018"))
out.append(row('guanzhong-plain','qingyang', find('qingyang', ['西峰']), S_GZP + "; '庆阳市区' read as 西峰区, Qingyang's only district"))
out.append(row('lanzhou-xining','baiyin', find('baiyin', ['白银区','平川','靖远','景泰']), S_LX + ": 白银市白银区、平川区、靖远县、景泰县"))
out.append(row('lanzhou-xining','dingxi', find('dingxi', ['安定','陇西','渭源','临洮']), S_LX + ": 定西市安定区、陇西县、渭源县、临洮县"))
out.append(row('lanzhou-xining','haibei', find('haibei', ['海晏']), S_LX + ": 海北藏族自治州海晏县"))
out.append(row('lanzhou-xining','hainan-qinghai', find('hainan-qinghai', ['共和','贵德','贵南']), S_LX + ": 海南藏族自治州共和县、贵德县、贵南县"))
out.append(row('lanzhou-xining','huangnan', find('huangnan', ['同仁','尖扎']), S_LX + ": 黄南藏族自治州同仁县(同仁市 since 2020)、尖扎县"))
out.append(row('lanzhou-xining','linxia', find('linxia', ['临夏市','东乡','永靖','积石山']), S_LX + ": 临夏回族自治州临夏市、东乡族自治县、永靖县、积石山保安族东乡族撒拉族自治县"))

S_ZZ = ("郑州都市圈发展规划 (approved 2023): '1+2+2+3' = Zhengzhou, Kaifeng, Xuchang whole; core districts/counties of Xinxiang and Jiaozuo (not named in any stored page); "
        "洛阳偃师、平顶山郏县、漯河临颍 as named in NetEase self-media articles (m.admirer.cn/dy/article/KHCIRFMF055647HN.html; www.163.com/dy/article/K92VVRCR0525A5GL.html): secondary, not an official summary")
out.append(row('zhengzhou-metro','luohe', find('luohe', ['临颍']), S_ZZ))
out.append(row('zhengzhou-metro','luoyang', find('luoyang', ['偃师']), S_ZZ + "; 偃师 became 偃师区 in 2021, counties.csv keeps the 2020 unit 偃师市"))
out.append(row('zhengzhou-metro','pingdingshan', find('pingdingshan', ['郏县']), S_ZZ))
out.sort(key=lambda r: (r[0], r[1]))
with open(ROOT / 'data' / 'agglomeration_counties.csv', 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['agglomeration','prefecture','counties','source'])
    w.writerows(out)
for r in out:
    names = [next(u['name_zh'] for u in rows if u['adcode']==a) for a in r[2].split(';')]
    print(r[0], r[1], len(names), ' '.join(names))
