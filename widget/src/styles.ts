/** The widget's stylesheet, scoped to its shadow root so neither page nor widget styles leak. */
export const styles = `
:host{all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.4 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2430}
*{box-sizing:border-box}
button,input,textarea,select{font:inherit;color:inherit}
:focus-visible{outline:3px solid #f5a524;outline-offset:2px}
.launcher{display:flex;align-items:center;justify-content:center;position:relative;width:56px;height:56px;border-radius:50%;border:0;background:#3451d1;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);font-size:24px;float:right}
.badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#d92d20;color:#fff;font-size:12px;line-height:20px;text-align:center}
.panel{position:absolute;right:0;bottom:70px;width:360px;max-width:calc(100vw - 40px);height:520px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden}
.panel[hidden]{display:none}
header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:#3451d1;color:#fff}
header h2{flex:1;margin:0;font-size:16px}
header button{border:0;background:transparent;color:#fff;font-size:20px;cursor:pointer;width:32px;height:32px;border-radius:6px}
.status{padding:8px 14px;background:#eef1fb;font-size:13px;border-bottom:1px solid #dde2f3}
.status:empty{display:none}
.status.offline{background:#fff4e5}
.log{flex:1;overflow-y:auto;padding:12px 14px;display:flex;flex-direction:column;gap:8px}
.msg{max-width:80%;padding:8px 10px;border-radius:10px;background:#f0f2f7;white-space:pre-wrap;overflow-wrap:anywhere;align-self:flex-start}
.msg.mine{align-self:flex-end;background:#3451d1;color:#fff}
.msg.system{align-self:center;background:transparent;color:#5b6275;font-size:13px;text-align:center}
.msg.failed{background:#fde2e0;color:#7a1b13}
.meta{display:block;margin-top:3px;font-size:11px;opacity:.75}
.who{display:block;font-size:11px;font-weight:600;margin-bottom:2px}
.att{display:block;margin-top:4px;color:inherit}
.att img{max-width:100%;max-height:160px;border-radius:6px;display:block}
.typing{padding:0 14px 6px;font-size:12px;color:#5b6275;min-height:18px}
.composer{display:flex;gap:6px;align-items:flex-end;padding:10px;border-top:1px solid #e4e7ef}
.composer textarea{flex:1;resize:none;height:40px;max-height:120px;padding:9px 10px;border:1px solid #c9cfdd;border-radius:8px}
.icon{display:flex;align-items:center;justify-content:center;color:#3451d1;border:1px solid #c9cfdd;background:#fff;border-radius:8px;width:40px;height:40px;cursor:pointer;font-size:18px}
.send{border:0;background:#3451d1;color:#fff;border-radius:8px;height:40px;padding:0 14px;cursor:pointer}
.send:disabled{opacity:.5;cursor:default}
.hint{padding:0 12px 8px;font-size:11px;color:#5b6275}
.hint.error{color:#b42318}
form.intro{padding:16px 14px;display:flex;flex-direction:column;gap:10px;overflow-y:auto;flex:1}
form.intro label{display:flex;flex-direction:column;gap:4px;font-size:13px}
form.intro input,form.intro textarea,form.intro select{padding:8px 10px;border:1px solid #c9cfdd;border-radius:8px}
form.intro p{margin:0}
.hours{display:flex;flex-direction:column;gap:6px;font-size:13px}
.hours table{border-collapse:collapse;font-size:12px;color:#5b6275}
.hours caption{text-align:left;font-weight:600;padding-bottom:2px}
.hours th{text-align:left;font-weight:400;padding:1px 12px 1px 0}
.survey{align-self:stretch;flex-shrink:0;display:flex;flex-direction:column;gap:8px;padding:10px 12px;border:1px solid #dde2f3;border-radius:10px;background:#f7f8fd}
.survey[hidden]{display:none}
.survey p{margin:0}
.survey-title{font-weight:600}
.stars{display:flex;gap:4px}
.star{border:0;background:transparent;color:#c9cfdd;font-size:26px;line-height:1;width:36px;height:36px;border-radius:6px;cursor:pointer}
.star.on{color:#f5a524}
.star:disabled{cursor:default;opacity:.6}
.survey textarea{resize:vertical;min-height:40px;padding:8px 10px;border:1px solid #c9cfdd;border-radius:8px;background:#fff}
.survey textarea:disabled{background:#f0f2f7}
.survey .send{align-self:flex-end}
.survey-stars{color:#f5a524;font-size:20px;letter-spacing:2px}
.survey-comment{white-space:pre-wrap;overflow-wrap:anywhere;color:#5b6275;font-style:italic}
.survey-note{font-size:12px;color:#5b6275}
.survey-note:empty{display:none}
.survey .link{align-self:flex-start;border:0;background:transparent;color:#3451d1;text-decoration:underline;padding:0;cursor:pointer}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;
