package io.sparklstm.jobs.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparklstm.jobs.report.RunReport;
import io.sparklstm.model.Json;

import java.io.UncheckedIOException;

/**
 * {@code bench.html}: training GFLOP/s against units, one chart per (steps, minibatch), with the GEMM roofline
 * beside one process and each parameter-averaging worker count. Self-contained: Chart.js is inlined.
 */
public final class BenchReport {

    private BenchReport() {
    }

    public static String html(BenchResult bench) {
        return html(Json.mapper().valueToTree(bench));
    }

    /** The page of a {@code bench.json}'s tree, with the scaling model's tables where it has {@code scaling}. */
    public static String html(JsonNode bench) {
        String data;
        try {
            data = Json.mapper().writeValueAsString(bench).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>spark-lstm bench</title><style>"
                + "body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222}"
                + ".grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}"
                + ".card{border:1px solid #ddd;border-radius:6px;padding:12px}.card h2{font-size:15px;margin:0 0 8px}"
                + ".muted{color:#666;font-size:13px}</style><script>" + RunReport.chartJs() + "</script></head><body>"
                + "<h1>LSTM training throughput</h1><p class=\"muted\" id=\"machine\"></p><div class=\"grid\" id=\"charts\">"
                + "</div><div id=\"efficiency\"></div><div id=\"scaling\"></div><p class=\"muted\">GFLOP/s count the gate GEMMs of the forward and backward passes. The "
                + "roofline is ND4J's GEMM rate at the gate-GEMM shape, measured in the same run. Figures: bench.json."
                + "</p><script>const B=" + data + ";" + SCRIPT + "</script></body></html>\n";
    }

    private static final String SCRIPT = """
            document.getElementById('machine').textContent=Object.entries(B.machine).map(([k,v])=>k+': '+v).join(', ')
              +(B.repeats>1?'; each figure the median of '+B.repeats+' measurements':'');
            const groups={};
            B.results.forEach(r=>{const k='steps '+r.steps+', minibatch '+r.minibatch;(groups[k]=groups[k]||[]).push(r);});
            const colors=['#7f7f7f','#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd'];
            Object.entries(groups).forEach(([title,rows],g)=>{
              const card=document.createElement('div');card.className='card';
              card.innerHTML='<h2>'+title+': GFLOP/s against units</h2><canvas height="220"></canvas>';
              document.getElementById('charts').appendChild(card);
              const sets=[{label:'GEMM roofline',data:rows.map(r=>r.gemmGflops),borderDash:[6,3]}];
              if(rows[0].kernels){sets.push({label:'one process, DL4J LSTM',data:rows.map(r=>r.kernels.dl4j.gflops)});
                sets.push({label:'one process, fused lstmLayer op',data:rows.map(r=>r.kernels.fused.gflops)});}
              else if(rows[0].process)sets.push({label:'one process',data:rows.map(r=>r.process.gflops)});
              Object.keys(rows[0].ceiling||{}).forEach(w=>sets.push({label:w+' plain fits side by side (ceiling)',
                data:rows.map(r=>r.ceiling[w].gflops),borderDash:[2,2]}));
              Object.keys(rows[0].spark||{}).forEach(w=>sets.push({label:'parameter averaging, '+w+' worker(s)',
                data:rows.map(r=>r.spark[w].gflops)}));
              sets.forEach((s,i)=>{s.borderColor=colors[i%colors.length];s.backgroundColor=s.borderColor;});
              new Chart(card.querySelector('canvas'),{type:'line',data:{labels:rows.map(r=>r.units),datasets:sets},
                options:{animation:false,scales:{x:{title:{display:true,text:'units'}},
                y:{beginAtZero:true,title:{display:true,text:'GFLOP/s'}}}}});});
            if(B.statisticalEfficiency){const E=B.statisticalEfficiency,m=E.metric;
              const sd=x=>x[m].toFixed(4)+(E.seeds>1?' &plusmn; '+x[m+'Std'].toFixed(4):'');
              let h='<h2>Statistical efficiency: '+E.epochs+' epochs of '+E.input+(E.seeds>1?', mean &plusmn; standard deviation over '
                +E.seeds+' seeds':'')+'</h2><table><tr><th>mode</th><th>test '
                +m+'</th><th>vs one process (paired, &plusmn; standard error)</th><th>seconds</th><th>speed vs one process</th></tr>';
              h+='<tr><td>one process</td><td>'+sd(E.process)+'</td><td></td><td>'+E.process.seconds+'</td><td>1x</td></tr>';
              Object.entries(E.spark).forEach(([w,s])=>{h+='<tr><td>parameter averaging, '+w+' worker(s)</td><td>'
                +sd(s)+'</td><td>'+(s[m+'VsProcess']>=0?'+':'')+s[m+'VsProcess'].toFixed(4)
                +(E.seeds>1?' &plusmn; '+s[m+'VsProcessStdErr'].toFixed(4):'')+'</td><td>'+s.seconds
                +'</td><td>'+s.speedVsProcess+'x</td></tr>';});
              document.getElementById('efficiency').innerHTML=h+'</table>';}
            if(B.scaling){let h='';const f=x=>x>=100?x.toFixed(0):x.toFixed(1);
              B.scaling.forEach(s=>{h+='<h2>Scaling model: units '+s.units+', steps '+s.steps+', minibatch '+s.minibatch+', '
                +(s.network.bitsPerSecond/1e9)+' Gb/s, '+s.network.latencyMs+' ms latency, '+s.costs.transferBytes
                +' bytes per transfer (costs from '+s.fromWorkers+' worker(s))</h2><table><tr><th>workers</th><th>round ms</th>'
                +'<th>compute</th><th>worker</th><th>broadcast</th><th>aggregation</th><th>scheduling</th><th>ex/s</th>'
                +'<th>speed-up</th><th>efficiency</th><th>dominant</th><th>measured ex/s</th></tr>';
                s.rounds.forEach(r=>{h+='<tr><td>'+r.workers+'</td><td>'+f(r.roundMs)+'</td><td>'+f(r.computeMs)+'</td><td>'
                  +f(r.workerMs)+'</td><td>'+f(r.broadcastMs)+'</td><td>'+f(r.aggregationMs)+'</td><td>'+f(r.schedulingMs)
                  +'</td><td>'+f(r.examplesPerSecond)+'</td><td>'+r.speedup.toFixed(2)+'x</td><td>'
                  +(100*r.efficiency).toFixed(0)+'%</td><td>'+r.dominant.toLowerCase()+'</td><td>'
                  +(r.measuredExamplesPerSecond==null?'':f(r.measuredExamplesPerSecond))+'</td></tr>';});
                h+='</table><p class="muted">Ceiling: '+(s.ceilingExamplesPerSecond||'none')+' ex/s; efficiency below 50% from '
                  +(s.halfEfficiencyWorkers||'no count up to 1024')+'.</p>';});
              document.getElementById('scaling').innerHTML=h;}
            """;
}
