/** The widget's stylesheet, scoped to its shadow root so neither page nor widget styles leak. */
import { kitStyles } from '../../ui/styles';

const own = `
:host{all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei",sans-serif;color:#1f2430}
*{box-sizing:border-box}
button,input,textarea,select{font:inherit;color:inherit}
:focus-visible{outline:3px solid #f5a524;outline-offset:2px}
.launcher{display:flex;align-items:center;justify-content:center;position:relative;width:56px;height:56px;border-radius:50%;border:0;background:#3451d1;color:#fff;cursor:pointer;box-shadow:0 6px 18px rgba(31,36,48,.28);float:right;transition:transform .15s ease,background .15s ease}
.launcher:hover{background:#2a43b5;transform:scale(1.05)}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#d92d20;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center;box-shadow:0 0 0 2px #fff}
.panel{position:absolute;right:0;bottom:72px;width:370px;max-width:calc(100vw - 40px);height:560px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;background:#fff;border-radius:16px;box-shadow:0 12px 40px rgba(31,36,48,.25);overflow:hidden}
.panel[hidden]{display:none}
header{display:flex;align-items:center;gap:10px;padding:14px 12px 14px 16px;background:linear-gradient(135deg,#3451d1,#2a3fa8);color:#fff;flex-shrink:0}
.heading{flex:1;display:flex;align-items:center;gap:10px;min-width:0}
.heading .avatar{box-shadow:0 0 0 2px rgba(255,255,255,.85)}
.titles{min-width:0}
header h2{margin:0;font-size:16px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.subtitle{margin:1px 0 0;font-size:12px;opacity:.85}
header button{border:0;background:transparent;color:#fff;font-size:22px;line-height:1;cursor:pointer;width:34px;height:34px;border-radius:8px;flex-shrink:0}
header button:hover{background:rgba(255,255,255,.15)}
.status{padding:8px 16px;background:#eef1fb;color:#2b3a8c;font-size:13px;border-bottom:1px solid #dde2f3;flex-shrink:0}
.status:empty{display:none}
.status.offline{background:#fff6e8;color:#7a4a00;border-bottom-color:#f6e2bf}
.log{flex:1;overflow-y:auto;padding:14px 16px;display:flex;flex-direction:column;gap:6px;background:#fafbfd}
.msg{max-width:80%;padding:8px 12px;border-radius:14px;background:#fff;border:1px solid #e6e9f2;white-space:pre-wrap;overflow-wrap:anywhere;align-self:flex-start}
.msg.mine{align-self:flex-end;background:#3451d1;border-color:#3451d1;color:#fff;border-bottom-right-radius:4px}
.msg.system{align-self:center;max-width:90%;background:transparent;border:0;color:#5b6275;font-size:13px;text-align:center;padding:6px 8px}
.msg.failed{background:#fde2e0;border-color:#f7c1bb;color:#7a1b13}
.msg.mine + .msg:not(.mine),.from-agent.first,.msg.system + .msg{margin-top:6px}
.from-agent{display:flex;align-items:flex-end;gap:8px;align-self:flex-start;max-width:88%;padding-left:32px}
.from-agent.first{padding-left:0}
.from-agent .avatar{margin-bottom:2px}
.from-agent .stack{display:flex;flex-direction:column;gap:2px;min-width:0}
.from-agent .msg{max-width:100%;border-bottom-left-radius:4px}
.who{font-size:12px;font-weight:600;color:#5b6275;padding-left:4px}
.meta{display:block;margin-top:3px;font-size:11px;opacity:.7}
.att{display:block;margin-top:4px;color:inherit}
.att img{max-width:100%;max-height:160px;border-radius:8px;display:block}
.typing{padding:2px 16px 4px;font-size:12px;color:#5b6275;min-height:20px;background:#fafbfd;flex-shrink:0}
.composer{display:flex;gap:6px;align-items:flex-end;padding:10px 12px;border-top:1px solid #e4e7ef;background:#fff;flex-shrink:0}
.composer textarea{flex:1;resize:none;height:40px;max-height:120px;padding:9px 12px;border:1px solid #c9cfdd;border-radius:20px;background:#fff}
.composer textarea:focus{border-color:#3451d1;outline:0;box-shadow:0 0 0 3px rgba(52,81,209,.15)}
.icon{display:flex;align-items:center;justify-content:center;color:#5b6275;border:0;background:transparent;border-radius:50%;width:40px;height:40px;cursor:pointer;flex-shrink:0}
.icon:hover{background:#eef1fb;color:#3451d1}
.icon svg{width:20px;height:20px}
.send{border:0;background:#3451d1;color:#fff;border-radius:20px;height:40px;padding:0 16px;cursor:pointer;font-weight:600;flex-shrink:0}
.send:hover{background:#2a43b5}
.send:disabled{opacity:.45;cursor:default;background:#3451d1}
.hint{padding:0 16px 8px;font-size:11px;color:#6b7385;background:#fff;flex-shrink:0}
.hint.error{color:#b42318}
.suggestions{padding:8px 16px;border-top:1px solid #e6e9f0;background:#f6f8ff;flex-shrink:0}
.suggestions[hidden]{display:none}
.suggestions p{margin:0 0 4px;font-size:12px;font-weight:600;color:#3a4256}
.suggestions ul{margin:0;padding:0;list-style:none}
.suggestions li{margin:2px 0}
.suggestions a{color:#2a43b5;text-decoration:none}
.suggestions a:hover{text-decoration:underline}
.accept-solution{margin:0 16px 8px;align-self:flex-start;border:1px solid #0e7c66;background:#e7f6f1;color:#0e5c4c;border-radius:20px;padding:6px 14px;cursor:pointer;font-weight:600}
.accept-solution[hidden]{display:none}
form.intro{padding:18px 16px;display:flex;flex-direction:column;gap:12px;overflow-y:auto;flex:1}
form.intro > p:first-of-type{font-size:15px;color:#1f2430}
form.intro label{display:flex;flex-direction:column;gap:4px;font-size:13px;font-weight:600;color:#3b4254}
form.intro input,form.intro textarea,form.intro select{padding:9px 12px;border:1px solid #c9cfdd;border-radius:10px;font-weight:400;background:#fff}
form.intro input:focus,form.intro textarea:focus,form.intro select:focus{border-color:#3451d1;outline:0;box-shadow:0 0 0 3px rgba(52,81,209,.15)}
form.intro p{margin:0;color:#5b6275}
form.intro .send{align-self:stretch;height:42px;margin-top:4px}
form.intro .hint{padding:0;background:transparent}
form.intro .hint:empty{display:none}
.hours{display:flex;flex-direction:column;gap:8px;font-size:13px;padding:10px 12px;border-radius:10px;background:#fff6e8;color:#7a4a00}
.hours p{color:#7a4a00 !important;font-weight:600}
.hours table{border-collapse:collapse;font-size:12px;color:#5b6275}
.hours caption{text-align:left;font-weight:600;padding-bottom:2px}
.hours th{text-align:left;font-weight:400;padding:1px 12px 1px 0}
.survey{align-self:stretch;flex-shrink:0;display:flex;flex-direction:column;gap:8px;margin-top:8px;padding:14px;border:1px solid #dde2f3;border-radius:14px;background:#fff;box-shadow:0 2px 8px rgba(31,36,48,.06)}
.survey[hidden]{display:none}
.survey p{margin:0}
.survey-title{font-weight:600;font-size:15px}
.stars{display:flex;gap:4px}
.star{border:0;background:transparent;color:#c9cfdd;font-size:28px;line-height:1;width:38px;height:38px;border-radius:8px;cursor:pointer;transition:transform .1s ease}
.star:hover{transform:scale(1.12)}
.star.on{color:#f5a524}
.star:disabled{cursor:default;opacity:.6;transform:none}
.survey textarea{resize:vertical;min-height:40px;padding:8px 12px;border:1px solid #c9cfdd;border-radius:10px;background:#fff}
.survey textarea:disabled{background:#f0f2f7}
.survey .send{align-self:flex-end}
.survey-stars{color:#f5a524;font-size:20px;letter-spacing:2px}
.survey-comment{white-space:pre-wrap;overflow-wrap:anywhere;color:#5b6275;font-style:italic}
.survey-note{font-size:12px;color:#5b6275}
.survey-note:empty{display:none}
.survey .link{align-self:flex-start;border:0;background:transparent;color:#3451d1;text-decoration:underline;padding:0;cursor:pointer}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:480px){
  :host{right:12px;bottom:12px}
  .panel{position:fixed;inset:0;width:100vw;max-width:none;height:100%;max-height:none;border-radius:0}
  .panel:not([hidden]) ~ .launcher{display:none}
}
`;

export const styles = kitStyles + own;
