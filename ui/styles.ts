/** The kit's own pieces (avatars, drop-downs), styled once for the widget's shadow root and the console. */
export const kitStyles = `
.avatar{display:inline-flex;align-items:center;justify-content:center;flex-shrink:0;border-radius:50%;color:#fff;font-weight:600;letter-spacing:.02em;user-select:none;line-height:1}
.avatar.c0{background:#3451d1}.avatar.c1{background:#0e7c66}.avatar.c2{background:#b54708}.avatar.c3{background:#7a2ee0}
.avatar.c4{background:#c11574}.avatar.c5{background:#026aa2}.avatar.c6{background:#4e5ba6}.avatar.c7{background:#a15c07}
.avatar-sm{width:24px;height:24px;font-size:10px}
.avatar-md{width:32px;height:32px;font-size:12px}
.avatar-lg{width:44px;height:44px;font-size:16px}
.select{position:relative;display:inline-flex;align-items:center;min-width:0}
.select select{appearance:none;-webkit-appearance:none;width:100%;min-height:32px;padding:5px 30px 5px 10px;border:1px solid #c9cfdd;border-radius:8px;background:#fff;color:#1f2430;font:inherit;cursor:pointer;text-overflow:ellipsis}
.select select:hover{border-color:#9aa3b8}
.select select:disabled{background:#f0f2f7;color:#6b7385;cursor:default}
.select::after{content:"";position:absolute;right:11px;top:50%;width:7px;height:7px;margin-top:-5px;border-right:2px solid #5b6275;border-bottom:2px solid #5b6275;transform:rotate(45deg);pointer-events:none}
`;
